'use client';
// Removing a public image, for members of `admins`. The guest pages link here (they carry no
// scripts); this page has Amplify, signs the admin in if needed, checks the group, and deletes
// with the admin's own credentials, so IAM has the last word
// (docs/security-model.md#the-moderation-hint-cookie).
import { Authenticator } from '@aws-amplify/ui-react';
import '@aws-amplify/ui-react/styles.css';
import '@/components/account/amplify-theme.css';
import { fetchAuthSession } from 'aws-amplify/auth';
import { remove } from 'aws-amplify/storage';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '@/lib/errors';
import { isAdminGroupMember } from '@/lib/moderator-hint';
import styles from './moderation.module.css';

export interface ModeratedImage {
  path: string;
  url: string;
  href: string;
  fileName: string;
  title: string;
}

type State =
  | { step: 'checking' }
  | { step: 'not-admin' }
  | { step: 'confirm' }
  | { step: 'removing' }
  | { step: 'removed' }
  /** `retry`: the removal itself failed, so the admin may try again. */
  | { step: 'failed'; message: string; retry: boolean };

export function ModerateImage({ image }: { image: ModeratedImage }) {
  return (
    <Authenticator hideSignUp components={{ Header: SignInHeader }}>
      {({ user, signOut }) =>
        user ? <Moderate image={image} signOut={() => signOut?.()} /> : <p role="status">Signing in…</p>
      }
    </Authenticator>
  );
}

function SignInHeader() {
  return (
    <div className={styles.header}>
      <h1>Remove an image</h1>
      <p>Sign in with an admin account to remove images from the public gallery.</p>
    </div>
  );
}

function Moderate({ image, signOut }: { image: ModeratedImage; signOut: () => void }) {
  const [state, setState] = useState<State>({ step: 'checking' });
  const keepRef = useRef<HTMLAnchorElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    let active = true;
    fetchAuthSession().then(
      (session) => {
        if (!active) return;
        const admin = isAdminGroupMember(session.tokens?.idToken?.payload['cognito:groups']);
        setState({ step: admin ? 'confirm' : 'not-admin' });
      },
      (error: unknown) => {
        if (active)
          setState({
            step: 'failed',
            message: describeError(error, 'check your account'),
            retry: false,
          });
      },
    );
    return () => {
      active = false;
    };
  }, []);
  useEffect(() => {
    // Focus starts on the safe choice, and moves to the outcome once the button it was on is gone.
    if (state.step === 'confirm') keepRef.current?.focus();
    if (state.step === 'removed') doneRef.current?.focus();
  }, [state.step]);

  const removeImage = async () => {
    setState({ step: 'removing' });
    try {
      await remove({ path: image.path });
      setState({ step: 'removed' });
    } catch (error) {
      setState({ step: 'failed', message: describeError(error, 'remove this image'), retry: true });
    }
  };

  return (
    <section className={styles.panel} aria-labelledby="moderate-title">
      <h1 id="moderate-title">Remove an image</h1>
      {state.step === 'removed' ? (
        <p role="status" ref={doneRef} tabIndex={-1}>
          “{image.fileName}” was removed from the public gallery.
        </p>
      ) : (
        <img className={styles.preview} src={image.url} alt={image.title} />
      )}
      {state.step === 'checking' ? <p role="status">Checking your account…</p> : null}
      {state.step === 'not-admin' ? (
        <div role="alert" className="notice notice-error">
          <p>
            Only admins can remove images from the public gallery. Ask an admin to add your account to the
            admins group, then sign in again.
          </p>
          <button type="button" className="button button-secondary" onClick={signOut}>
            Sign in with another account
          </button>
        </div>
      ) : null}
      {state.step === 'confirm' || state.step === 'removing' || (state.step === 'failed' && state.retry) ? (
        <div role="group" aria-label={`Remove ${image.fileName}`}>
          <p>
            Remove “{image.fileName}” from the gallery for everyone? This deletes the file: its owner cannot
            get it back.
          </p>
          <div className={styles.actions}>
            <button
              type="button"
              className="button button-danger"
              onClick={() => void removeImage()}
              disabled={state.step === 'removing'}
            >
              {state.step === 'removing' ? 'Removing…' : 'Remove'}
            </button>
            <Link ref={keepRef} className="button button-secondary" href={image.href} prefetch={false}>
              Keep
            </Link>
          </div>
        </div>
      ) : null}
      {state.step === 'failed' ? (
        <p role="alert" className="notice notice-error">
          {state.message}
        </p>
      ) : null}
      <p>
        <Link href="/" prefetch={false}>
          ← Back to the gallery
        </Link>
      </p>
    </section>
  );
}
