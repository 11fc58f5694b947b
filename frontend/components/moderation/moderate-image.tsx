'use client';
// Hiding or removing a public image, for members of `admins`. The guest pages link here (they
// carry no scripts); this page has Amplify, signs the admin in if needed, checks the group, and
// calls the data API's moderateImage with the admin's own credentials, so IAM (and the api
// function) have the last word (docs/security-model.md#the-moderation-hint-cookie). The API
// unpublishes the image and invalidates its CDN paths.
import { Authenticator } from '@aws-amplify/ui-react';
import '@aws-amplify/ui-react/styles.css';
import '@/components/account/amplify-theme.css';
import { fetchAuthSession } from 'aws-amplify/auth';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { userApi } from '@/lib/api/browser';
import type { ModerationAction } from '@/lib/api/operations';
import { describeError } from '@/lib/errors';
import { isAdminGroupMember } from '@/lib/moderator-hint';
import styles from './moderation.module.css';

export interface ModeratedImage {
  imageId: string;
  /** A rendition's CDN URL, for the preview. */
  src: string;
  alt: string;
  /** Its detail page. */
  href: string;
  title: string;
}

type State =
  | { step: 'checking' }
  | { step: 'not-admin' }
  | { step: 'confirm' }
  | { step: 'working'; action: ModerationAction }
  | { step: 'done'; action: ModerationAction }
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
      <h1>Moderate an image</h1>
      <p>Sign in with an admin account to hide or remove images from the public gallery.</p>
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
    if (state.step === 'done') doneRef.current?.focus();
  }, [state.step]);

  const moderate = async (action: ModerationAction) => {
    setState({ step: 'working', action });
    try {
      await userApi().moderateImage({ imageId: image.imageId, action });
      setState({ step: 'done', action });
    } catch (error) {
      const doing = action === 'HIDE' ? 'hide this image' : 'remove this image';
      setState({ step: 'failed', message: describeError(error, doing), retry: true });
    }
  };
  const working = state.step === 'working' ? state.action : undefined;

  return (
    <section className={styles.panel} aria-labelledby="moderate-title">
      <h1 id="moderate-title">Moderate an image</h1>
      {state.step === 'done' ? (
        <p role="status" ref={doneRef} tabIndex={-1}>
          {state.action === 'HIDE'
            ? `“${image.title}” is hidden: it left the public gallery and its owner still has it.`
            : `“${image.title}” was removed, with its file.`}
        </p>
      ) : (
        <img className={styles.preview} src={image.src} alt={image.alt} />
      )}
      {state.step === 'checking' ? <p role="status">Checking your account…</p> : null}
      {state.step === 'not-admin' ? (
        <div role="alert" className="notice notice-error">
          <p>
            Only admins can hide or remove images from the public gallery. Ask an admin to add your account to
            the admins group, then sign in again.
          </p>
          <button type="button" className="button button-secondary" onClick={signOut}>
            Sign in with another account
          </button>
        </div>
      ) : null}
      {state.step === 'confirm' || state.step === 'working' || (state.step === 'failed' && state.retry) ? (
        <div role="group" aria-label={`Moderate ${image.title}`}>
          <p>
            Hide “{image.title}” from everyone but its owner, or remove it altogether? Either takes it off the
            gallery and the CDN at once. Removing deletes the file: its owner cannot get it back.
          </p>
          <div className={styles.actions}>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => void moderate('HIDE')}
              disabled={working !== undefined}
            >
              {working === 'HIDE' ? 'Hiding…' : 'Hide'}
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => void moderate('REMOVE')}
              disabled={working !== undefined}
            >
              {working === 'REMOVE' ? 'Removing…' : 'Remove'}
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
