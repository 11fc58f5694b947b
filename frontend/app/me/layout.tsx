import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { AmplifyProvider } from '@/components/amplify/amplify-provider';
import { SetupMessage } from '@/components/setup/setup-message';
import { loadConfig } from '@/lib/config';

export const metadata: Metadata = { title: 'My images' };

export default async function MeLayout({ children }: { children: ReactNode }) {
  await connection();
  const result = loadConfig();
  if (!result.ok) return <SetupMessage />;
  return <AmplifyProvider setup={result.config.amplify}>{children}</AmplifyProvider>;
}
