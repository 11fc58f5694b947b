'use client';
import { useEffect, useId, useRef, useState } from 'react';
import styles from './account.module.css';

export interface ConfirmButtonProps {
  /** The button that asks, e.g. "Delete". */
  label: string;
  /** Read by screen readers after the label, e.g. the image's title. */
  subject?: string;
  /** The question, e.g. "Delete “Harbour”?" */
  question: string;
  /** What goes, said plainly. */
  consequences: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
}

/**
 * A destructive action behind a confirmation in place: nothing happens until the second,
 * explicit button. Focus moves to Cancel, so a double press or Enter cannot confirm by accident.
 */
export function ConfirmButton({
  label,
  subject,
  question,
  consequences,
  confirmLabel,
  onConfirm,
}: ConfirmButtonProps) {
  const id = useId();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) cancel.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" className="button button-secondary" onClick={() => setAsking(true)}>
        {label}
        {subject ? <span className="visually-hidden"> {subject}</span> : null}
      </button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <div
      className={styles.confirm}
      role="alertdialog"
      aria-labelledby={`${id}-question`}
      aria-describedby={`${id}-consequences`}
    >
      <p id={`${id}-question`}>
        <strong>{question}</strong>
      </p>
      <p id={`${id}-consequences`}>{consequences}</p>
      <button
        ref={cancel}
        type="button"
        className="button button-secondary"
        onClick={() => setAsking(false)}
        disabled={busy}
      >
        Cancel
      </button>{' '}
      <button type="button" className="button button-danger" onClick={() => void confirm()} disabled={busy}>
        {busy ? 'Working…' : confirmLabel}
      </button>
    </div>
  );
}
