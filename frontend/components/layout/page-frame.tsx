import type { ReactNode } from 'react';
import { SiteFooter, SiteHeader } from './site-chrome';

/** The body of every page, in both routers: app/layout.tsx and pages/_app.tsx render it. */
export function PageFrame({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <SiteHeader />
      <main id="content" tabIndex={-1}>
        {children}
      </main>
      <SiteFooter />
    </>
  );
}
