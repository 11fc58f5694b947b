'use client';
// Moderation on the public gallery. Guests download only this small file: Amplify is imported
// on demand, after a signed-in admin confirms a removal.
import { useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { AmplifySetup } from '@/lib/amplify-config';
import { describeError } from '@/lib/errors';
import { ensureSandboxWorker } from '@/lib/sandbox-worker';
import { ADMIN_GROUP, readSessionHint } from '@/lib/session-hint';

interface AdminContextValue {
  setup: AmplifySetup;
}

const AdminContext = createContext<AdminContextValue | undefined>(undefined);

export function AdminProvider({
  setup,
  userPoolClientId,
  children,
}: {
  setup: AmplifySetup;
  userPoolClientId: string;
  children: ReactNode;
}) {
  const [isAdmin, setIsAdmin] = useState(false);
  useEffect(() => {
    // localStorage exists only in the browser, so the check runs after hydration.
    const hint = readSessionHint(window.localStorage, userPoolClientId);
    const admin = !!hint?.groups.includes(ADMIN_GROUP);
    setIsAdmin(admin);
    // In sandbox mode the S3 reroute must control the page before a removal; start it early.
    // A failure here shows up, with its explanation, when the admin removes an image.
    if (admin && setup.sandboxEndpoint) ensureSandboxWorker(setup.sandboxEndpoint).catch(() => undefined);
  }, [userPoolClientId, setup.sandboxEndpoint]);
  return <AdminContext.Provider value={isAdmin ? { setup } : undefined}>{children}</AdminContext.Provider>;
}

type State =
  { step: 'idle' } | { step: 'confirm' } | { step: 'removing' } | { step: 'failed'; message: string };

export function AdminRemoveButton({
  path,
  title,
  className,
  afterRemove = 'refresh',
}: {
  path: string;
  title: string;
  className?: string;
  /** Where to go once the image is gone: stay and refresh the list, or back to the gallery. */
  afterRemove?: 'refresh' | 'gallery';
}) {
  const admin = useContext(AdminContext);
  const router = useRouter();
  const [state, setState] = useState<State>({ step: 'idle' });
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (state.step === 'confirm') cancelRef.current?.focus();
  }, [state.step]);
  if (!admin) return null;

  const remove = async () => {
    setState({ step: 'removing' });
    try {
      const { removePublicImage } = await import('./admin-remove');
      await removePublicImage(admin.setup, path);
      setState({ step: 'idle' });
      if (afterRemove === 'gallery') router.push('/');
      router.refresh();
    } catch (error) {
      setState({ step: 'failed', message: describeError(error, 'remove this image').message });
    }
  };

  return (
    <div className={className}>
      {state.step === 'confirm' || state.step === 'removing' ? (
        <div role="group" aria-label={`Remove ${title}`}>
          <p>Remove “{title}” from the gallery for everyone?</p>
          <button
            type="button"
            className="button button-danger"
            onClick={remove}
            disabled={state.step === 'removing'}
          >
            {state.step === 'removing' ? 'Removing…' : 'Remove'}
          </button>{' '}
          <button
            type="button"
            ref={cancelRef}
            className="button button-secondary"
            onClick={() => setState({ step: 'idle' })}
            disabled={state.step === 'removing'}
          >
            Keep
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setState({ step: 'confirm' })}
        >
          Remove<span className="visually-hidden"> {title}</span> (admin)
        </button>
      )}
      {state.step === 'failed' ? (
        <p role="alert" className="notice notice-error">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
