import styles from './account.module.css';

/** Newer/older buttons under a listing; nothing when everything fits on one page. */
export function PageButtons({
  label,
  number,
  previous,
  next,
}: {
  label: string;
  number: number;
  previous?: () => void;
  next?: () => void;
}) {
  if (!previous && !next) return null;
  return (
    <nav className={styles.pages} aria-label={label}>
      <button type="button" className="button button-secondary" onClick={previous} disabled={!previous}>
        Newer
      </button>
      <span>Page {number}</span>
      <button type="button" className="button button-secondary" onClick={next} disabled={!next}>
        Older
      </button>
    </nav>
  );
}
