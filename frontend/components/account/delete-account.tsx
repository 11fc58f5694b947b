'use client';
// Deleting the account: the data through the API first (while the user can still sign the call),
// then the Cognito user through Amplify, which also ends the session. The user lands signed out
// on the gallery.
import { deleteUser } from 'aws-amplify/auth';
import { useState } from 'react';
import { userApi } from '@/lib/api/browser';
import { describeError } from '@/lib/errors';
import { ConfirmButton } from './confirm-button';
import styles from './account.module.css';

export const WHAT_GOES =
  'Every image you uploaded, its smaller versions and its published copies, their titles and descriptions, your display name, and your sign-in are deleted. This cannot be undone.';

export function DeleteAccount({ leave = () => window.location.assign('/') }: { leave?: () => void }) {
  const [dataDeleted, setDataDeleted] = useState(false);
  const [error, setError] = useState<string>();

  const remove = async () => {
    setError(undefined);
    if (!dataDeleted) {
      try {
        await userApi().deleteMyData({});
        setDataDeleted(true);
      } catch (failure) {
        setError(describeError(failure, 'delete your images and profile'));
        return;
      }
    }
    try {
      await deleteUser();
    } catch (failure) {
      setError(
        `Your images and profile are deleted, but ${describeError(failure, 'delete your sign-in').replace(/^./, (first) => first.toLowerCase())} Press the button again to finish.`,
      );
      return;
    }
    leave();
  };

  return (
    <section className={styles.dangerZone} aria-labelledby="delete-account-title">
      <h2 id="delete-account-title">Delete my account</h2>
      <ConfirmButton
        label={dataDeleted ? 'Finish deleting my account' : 'Delete my account'}
        question="Delete your account and everything in it?"
        consequences={WHAT_GOES}
        confirmLabel="Delete everything"
        onConfirm={remove}
      />
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
