'use client';
// Configures Amplify for the signed-in area. It is mounted by app/me/layout.tsx rather than the
// root layout so that guests' pages never download Amplify (docs/conventions.md#frontend, rule 9).
import { fetchAuthSession } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import { useEffect, useState, type ReactNode } from 'react';
import type { AmplifySetup } from '@/lib/amplify-config';
import { configureAmplify } from '@/lib/amplify-browser';
import { isAdminGroupMember, moderatorCookie } from '@/lib/moderator-hint';
import { ensureSandboxWorker, releaseSandboxWorker } from '@/lib/sandbox-worker';

type WorkerState = { status: 'not-needed' | 'starting' | 'ready' } | { status: 'failed'; message: string };

export function AmplifyProvider({ setup, children }: { setup: AmplifySetup; children: ReactNode }) {
  // Before the first render of anything that calls Amplify.
  configureAmplify(setup);
  const endpoint = setup.sandboxEndpoint;
  const [worker, setWorker] = useState<WorkerState>({ status: endpoint ? 'starting' : 'not-needed' });

  useEffect(() => {
    // Keeps the guest pages' moderator hint (lib/moderator-hint.ts) in step with the session.
    const write = (admin: boolean) => {
      document.cookie = moderatorCookie(admin, location.protocol === 'https:');
    };
    const sync = () =>
      fetchAuthSession().then(
        (session) => write(isAdminGroupMember(session.tokens?.idToken?.payload['cognito:groups'])),
        () => undefined, // offline or signed out mid-way: the next auth event writes it again
      );
    void sync();
    return Hub.listen('auth', ({ payload }) => {
      if (payload.event === 'signedOut') write(false);
      else if (payload.event === 'signedIn' || payload.event === 'tokenRefresh') void sync();
    });
  }, []);

  useEffect(() => {
    if (!endpoint) {
      // Against AWS: a sandbox worker left registered on this origin must not see its requests.
      void releaseSandboxWorker().catch(() => undefined);
      return;
    }
    let active = true;
    ensureSandboxWorker(endpoint).then(
      (result) => {
        if (active && result === 'ready') setWorker({ status: 'ready' });
      },
      (error: unknown) => {
        if (active)
          setWorker({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      active = false;
    };
  }, [endpoint]);

  if (worker.status === 'starting') {
    return (
      <p className="notice" role="status">
        Connecting to the local sandbox…
      </p>
    );
  }
  if (worker.status === 'failed') {
    return (
      <div className="notice notice-error" role="alert">
        <p>{worker.message}</p>
        <button type="button" className="button" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    );
  }
  return <>{children}</>;
}
