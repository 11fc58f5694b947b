import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteFooter, SiteHeader } from '@/components/layout/site-chrome';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Snapshelf', template: '%s · Snapshelf' },
  description: 'Share your images: keep them to yourself, with signed-in users, or with everyone.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#f7f7f5' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <SiteHeader />
        <main id="content" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
