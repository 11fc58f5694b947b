import Link from 'next/link';
import { NavLink } from './nav-link';
import styles from './site-chrome.module.css';

export function SiteHeader() {
  return (
    <header className={styles.header}>
      <div className={styles.bar}>
        {/* No prefetch: on App Router pages it would run the guest gallery's server work for nothing. */}
        <Link href="/" className={styles.brand} prefetch={false}>
          <span className={styles.logo} aria-hidden="true" />
          Snapshelf
        </Link>
        <nav aria-label="Main" className={styles.nav}>
          <NavLink href="/" className={styles.navLink}>
            Gallery
          </NavLink>
          <NavLink href="/me" className={styles.navLink}>
            My images
          </NavLink>
        </nav>
      </div>
    </header>
  );
}

export function SiteFooter() {
  return (
    <footer className={styles.footer}>
      <p>Public images are served by the CDN. Images you keep private never leave your own folder.</p>
    </footer>
  );
}
