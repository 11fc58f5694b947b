'use client';
import { useEffect, useId, useState } from 'react';
import { DISPLAY_NAME_MAX, normaliseDisplayName } from '@/lib/metadata';
import styles from './account.module.css';

const storageKey = (userId: string) => `snapshelf.display-name.${userId}`;

/** The name stored with new uploads; remembered per user on this device. */
export function useDisplayName(userId: string): [string, (name: string) => void] {
  const [name, setName] = useState('');
  useEffect(() => {
    setName(window.localStorage.getItem(storageKey(userId)) ?? '');
  }, [userId]);
  const update = (next: string) => {
    setName(next);
    const normalised = normaliseDisplayName(next);
    if (normalised) window.localStorage.setItem(storageKey(userId), normalised);
    else window.localStorage.removeItem(storageKey(userId));
  };
  return [name, update];
}

export function DisplayNameField({ value, onChange }: { value: string; onChange: (name: string) => void }) {
  const id = useId();
  return (
    <div className={styles.field}>
      <label htmlFor={id}>Your display name</label>
      <input
        id={id}
        type="text"
        value={value}
        maxLength={DISPLAY_NAME_MAX}
        autoComplete="nickname"
        placeholder="Anonymous"
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p id={`${id}-hint`} className={styles.muted}>
        Shown with the images you upload from now on, when you share them with everyone.
      </p>
    </div>
  );
}
