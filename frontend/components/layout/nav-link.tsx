'use client';
// The only client code in the site chrome: it marks the current section for screen readers.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

export function NavLink({
  href,
  className,
  children,
}: {
  href: string;
  className?: string;
  children: ReactNode;
}) {
  // null only on statically optimized Pages Router pages (this app has none): no section marked.
  const pathname = usePathname() ?? '';
  const current = href === '/' ? pathname === '/' || pathname.startsWith('/p/') : pathname.startsWith(href);
  return (
    // No prefetch: the App Router would render the Pages Router's gallery (an S3 listing) and
    // throw the result away, since it cannot use a Pages Router page as a prefetched route.
    <Link href={href} className={className} aria-current={current ? 'page' : undefined} prefetch={false}>
      {children}
    </Link>
  );
}
