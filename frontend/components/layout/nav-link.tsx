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
  // null only on the Pages Router's statically optimized 404, which marks no section.
  const pathname = usePathname() ?? '';
  const current = href === '/' ? pathname === '/' || pathname.startsWith('/p/') : pathname.startsWith(href);
  return (
    <Link href={href} className={className} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}
