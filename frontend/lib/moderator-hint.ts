// Tells the server-rendered guest pages whether to offer moderation links, without any script on
// those pages. The signed-in area (which has Amplify) writes it from the user's id token; the
// server only reads it. It is a hint, not a credential: a forged cookie shows links to a page
// that checks the session again, and IAM refuses the removal itself to anyone outside `admins`.
const MODERATOR_COOKIE = 'snapshelf-moderator';
const ADMIN_GROUP = 'admins';

/** As long as the refresh token lives (the Auth stack's 30 days); sign-out clears it sooner. */
const MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export function isModerator(cookies: Partial<Record<string, string>>): boolean {
  return cookies[MODERATOR_COOKIE] === '1';
}

export function isAdminGroupMember(groups: unknown): boolean {
  return Array.isArray(groups) && groups.includes(ADMIN_GROUP);
}

/** The Set-Cookie string for document.cookie: present for admins, expired for everyone else. */
export function moderatorCookie(admin: boolean, secure: boolean): string {
  const attributes = ['Path=/', 'SameSite=Lax', ...(secure ? ['Secure'] : [])];
  return admin
    ? [`${MODERATOR_COOKIE}=1`, `Max-Age=${MAX_AGE_SECONDS}`, ...attributes].join('; ')
    : [`${MODERATOR_COOKIE}=`, 'Max-Age=0', ...attributes].join('; ');
}
