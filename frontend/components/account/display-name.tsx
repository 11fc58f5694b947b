'use client';
// The display name is the profile's, kept by the data API (myProfile / updateProfile), so it is
// the same on every device and goes with the account when it is deleted.
import { TEXT_LIMITS } from '@image-share/contracts/records';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { userApi } from '@/lib/api/browser';
import { describeError } from '@/lib/errors';
import styles from './account.module.css';

/** What the API stores: runs of white space as one space, none at the ends. */
export function normaliseDisplayName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

type Status =
  | { kind: 'loading' }
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'error'; message: string };

export function DisplayName() {
  const id = useId();
  const [name, setName] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'loading' });

  useEffect(() => {
    let active = true;
    userApi()
      .myProfile({})
      .then(
        (profile) => {
          if (!active) return;
          setName(profile?.displayName ?? '');
          setStatus({ kind: 'idle' });
        },
        (error: unknown) => {
          if (active) setStatus({ kind: 'error', message: describeError(error, 'load your display name') });
        },
      );
    return () => {
      active = false;
    };
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const displayName = normaliseDisplayName(name);
    if (!displayName) {
      setStatus({ kind: 'error', message: 'Type a name first: a display name cannot be empty.' });
      return;
    }
    setStatus({ kind: 'saving' });
    try {
      const profile = await userApi().updateProfile({ displayName });
      setName(profile.displayName ?? displayName);
      setStatus({ kind: 'saved' });
    } catch (error) {
      setStatus({ kind: 'error', message: describeError(error, 'save your display name') });
    }
  };

  const busy = status.kind === 'loading' || status.kind === 'saving';
  return (
    <form className={styles.field} onSubmit={(event) => void save(event)} aria-busy={busy}>
      <label htmlFor={id}>Your display name</label>
      <input
        id={id}
        type="text"
        value={name}
        maxLength={TEXT_LIMITS.displayName}
        autoComplete="nickname"
        aria-describedby={`${id}-hint`}
        disabled={status.kind === 'loading'}
        onChange={(event) => {
          setName(event.target.value);
          if (status.kind === 'saved') setStatus({ kind: 'idle' });
        }}
      />
      <p id={`${id}-hint`} className={styles.muted}>
        Kept in your profile. {name.length} of {TEXT_LIMITS.displayName} characters.
      </p>
      <button type="submit" className="button button-secondary" disabled={busy}>
        {status.kind === 'saving' ? 'Saving…' : 'Save name'}
      </button>
      {status.kind === 'saved' ? <p role="status">Saved.</p> : null}
      {status.kind === 'error' ? (
        <p className={styles.error} role="alert">
          {status.message}
        </p>
      ) : null}
    </form>
  );
}
