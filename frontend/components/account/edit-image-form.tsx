'use client';
import { TEXT_LIMITS } from '@image-share/contracts/records';
import { type FormEvent, useId, useState } from 'react';
import type { OwnImageRecord } from '@/lib/api/operations';
import { describeError } from '@/lib/errors';
import styles from './account.module.css';

export interface ImageText {
  title: string;
  altText: string;
  description: string;
}

const FIELDS = [
  { name: 'title', label: 'Title', max: TEXT_LIMITS.title, multiline: false, hint: 'Shown under the image.' },
  {
    name: 'altText',
    label: 'Alt text',
    max: TEXT_LIMITS.altText,
    multiline: true,
    hint: 'What the image shows, for people who cannot see it.',
  },
  {
    name: 'description',
    label: 'Description',
    max: TEXT_LIMITS.description,
    multiline: true,
    hint: 'Shown on its page.',
  },
] as const;

/** Title, alt text and description with the data API's limits shown and enforced as one types. */
export function EditImageForm({
  image,
  onSave,
  onCancel,
}: {
  image: Pick<OwnImageRecord, 'title' | 'altText' | 'description'>;
  onSave: (text: ImageText) => Promise<void>;
  onCancel: () => void;
}) {
  const id = useId();
  const [text, setText] = useState<ImageText>({
    title: image.title ?? '',
    altText: image.altText ?? '',
    description: image.description ?? '',
  });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      await onSave(text);
    } catch (failure) {
      setError(describeError(failure, 'save the text of this image'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className={styles.editForm} onSubmit={(event) => void submit(event)} aria-busy={saving}>
      {FIELDS.map((field) => {
        const fieldId = `${id}-${field.name}`;
        const props = {
          id: fieldId,
          value: text[field.name],
          maxLength: field.max,
          'aria-describedby': `${fieldId}-count`,
          onChange: (event: { target: { value: string } }) =>
            setText((current) => ({ ...current, [field.name]: event.target.value })),
        };
        return (
          <div className={styles.field} key={field.name}>
            <label htmlFor={fieldId}>{field.label}</label>
            {field.multiline ? <textarea rows={3} {...props} /> : <input type="text" {...props} />}
            <p id={`${fieldId}-count`} className={styles.muted}>
              {field.hint} {text[field.name].length} of {field.max} characters.
            </p>
          </div>
        );
      })}
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>{' '}
      <button type="button" className="button button-secondary" onClick={onCancel} disabled={saving}>
        Cancel
      </button>
    </form>
  );
}
