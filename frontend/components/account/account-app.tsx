'use client';
import { Authenticator } from '@aws-amplify/ui-react';
import '@aws-amplify/ui-react/styles.css';
import '@aws-amplify/ui-react-storage/styles.css';
import './amplify-theme.css';
import { useCallback, useState } from 'react';
import { Uploader } from '@/components/storage/uploader';
import { DeleteAccount } from './delete-account';
import { DisplayName } from './display-name';
import { MyImages } from './my-images';
import { SharedImages } from './shared-images';
import styles from './account.module.css';

function AuthHeader() {
  return (
    <div className={styles.authHeader}>
      <h1>My images</h1>
      <p>
        Sign in to upload images and choose who can see each one. New here? Create an account with your email.
      </p>
    </div>
  );
}

function SignedIn({ email, signOut }: { email?: string; signOut: () => void }) {
  const [uploads, setUploads] = useState<string[]>([]);
  const uploaded = useCallback((key: string) => setUploads((keys) => [...keys, key]), []);
  return (
    <div className={styles.layout}>
      <div className={styles.top}>
        <div>
          <h1>My images</h1>
          {email ? <p className={styles.muted}>Signed in as {email}</p> : null}
        </div>
        <button type="button" className="button button-secondary" onClick={signOut}>
          Sign out
        </button>
      </div>
      <div className={styles.columns}>
        <div className={styles.side}>
          <DisplayName />
          <Uploader onUploaded={uploaded} />
        </div>
        <MyImages uploads={uploads} />
      </div>
      <SharedImages />
      <DeleteAccount />
    </div>
  );
}

export function AccountApp() {
  return (
    <Authenticator components={{ Header: AuthHeader }}>
      {({ signOut, user }) =>
        user ? (
          <SignedIn email={user.signInDetails?.loginId} signOut={() => signOut?.()} />
        ) : (
          <p role="status">Signing in…</p>
        )
      }
    </Authenticator>
  );
}
