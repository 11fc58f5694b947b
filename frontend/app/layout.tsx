import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { PageFrame } from '@/components/layout/page-frame';
import { SITE } from '@/lib/site';
import './globals.css';

export const metadata: Metadata = {
  title: { default: SITE.name, template: `%s · ${SITE.name}` },
  description: SITE.description,
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: SITE.themeColor };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <PageFrame>{children}</PageFrame>
      </body>
    </html>
  );
}
