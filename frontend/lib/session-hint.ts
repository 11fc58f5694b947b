// Lets guest pages decide whether to offer admin tools without loading Amplify. It only reads
// the id token Amplify keeps in localStorage and does not verify it: IAM decides what the
// credentials may do, so a forged token here shows a button whose requests are denied.
const PREFIX = 'CognitoIdentityServiceProvider';

export interface SessionHint {
  groups: string[];
}

function decodePayload(jwt: string): Record<string, unknown> | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      Array.from(atob(base64), (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Amplify's storage keys: `<prefix>.<clientId>.LastAuthUser` and `<prefix>.<clientId>.<user>.idToken`. */
export function readSessionHint(storage: Storage, userPoolClientId: string): SessionHint | undefined {
  const user = storage.getItem(`${PREFIX}.${userPoolClientId}.LastAuthUser`);
  if (!user) return undefined;
  const idToken = storage.getItem(`${PREFIX}.${userPoolClientId}.${user}.idToken`);
  if (!idToken) return undefined;
  const claims = decodePayload(idToken);
  if (!claims) return undefined;
  const groups = Array.isArray(claims['cognito:groups'])
    ? claims['cognito:groups'].filter((group): group is string => typeof group === 'string')
    : [];
  // An expired id token is fine here: Amplify refreshes it before it acts.
  return { groups };
}

export const ADMIN_GROUP = 'admins';
