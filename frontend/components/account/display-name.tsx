'use client';
import { useId, useState, useSyncExternalStore } from 'react';
import { DISPLAY_NAME_MAX, normaliseDisplayName } from '@/lib/metadata';
import styles from './account.module.css';

const storageKey = (userId: string) => `snapshelf.display-name.${userId}`;

// Another tab saving a name fires `storage` here.
function subscribeToStorage(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  return () => window.removeEventListener('storage', onChange);
}

/** The name stored with new uploads; remembered per user on this device. */
export function useDisplayName(userId: string): [string, (name: string) => void] {
  // The server render has no storage: it and hydration use '' and the stored name follows.
  const stored = useSyncExternalStore(
    subscribeToStorage,
    () => window.localStorage.getItem(storageKey(userId)) ?? '',
    () => '',
  );
  // What is being typed, as typed (storage keeps it normalised), for the user it was typed for.
  const [edited, setEdited] = useState<{ userId: string; name: string }>();
  const name = edited?.userId === userId ? edited.name : stored;
  const update = (next: string) => {
    setEdited({ userId, name: next });
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
