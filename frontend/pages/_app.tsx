// The Pages Router serves only the guests' pages (see pages/index.tsx for why). They share the
// App Router's frame and styles, so both routers look like one site.
import type { AppProps } from 'next/app';
import Head from 'next/head';
import { PageFrame } from '@/components/layout/page-frame';
import { SITE } from '@/lib/site';
import '../app/globals.css';

export default function GuestApp({ Component, pageProps }: AppProps) {
  return (
    <>
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content={SITE.themeColor} />
        <meta name="description" content={SITE.description} />
      </Head>
      <PageFrame>
        <Component {...pageProps} />
      </PageFrame>
    </>
  );
}
