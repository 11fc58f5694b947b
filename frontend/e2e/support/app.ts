// What a person does on the site, in Playwright terms, and the sandbox's side doors a tester needs:
// the mailbox that stands in for email, and the admin API that stands in for the Cognito console.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ADMIN_TOKEN_HEADER } from '../../../sandbox/src/core/admin-token';
import { ARTIFACTS, REPO_ROOT, type Stack } from './stack';

export const PASSWORD = 'Harbour-Lights-42';

export interface Person {
  email: string;
  password: string;
}

/** The state folder is fresh on every run, so plain addresses cannot collide (and read well in screenshots). */
export function newPerson(name: string): Person {
  return { email: `${name}@example.com`, password: PASSWORD };
}

/** The codes the sandbox "emailed" to this address so far, oldest first. */
async function mailedCodes(stack: Stack, email: string): Promise<string[]> {
  const response = await fetch(`${stack.sandbox.endpoint}/_sandbox/mailbox?to=${encodeURIComponent(email)}`, {
    headers: { [ADMIN_TOKEN_HEADER]: stack.adminToken },
  });
  if (!response.ok) throw new Error(`mailbox: ${response.status} ${await response.text()}`);
  const { messages } = (await response.json()) as { messages: Array<{ to: string; code?: string }> };
  return messages.flatMap((message) => (message.to === email && message.code ? [message.code] : []));
}

/** The newest code mailed to this address, waiting until there are more than `after` of them. */
export async function mailboxCode(stack: Stack, email: string, after = 0): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const codes = await mailedCodes(stack, email);
    if (codes.length > after) return codes.at(-1)!;
    if (Date.now() > deadline) throw new Error(`no new code in the sandbox mailbox for ${email}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function mailboxCount(stack: Stack, email: string): Promise<number> {
  return (await mailedCodes(stack, email)).length;
}

export async function addToGroup(stack: Stack, email: string, group: string): Promise<void> {
  const response = await fetch(`${stack.sandbox.endpoint}/_sandbox/admin/add-user-to-group`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ADMIN_TOKEN_HEADER]: stack.adminToken },
    body: JSON.stringify({ email, group }),
  });
  if (!response.ok) throw new Error(`add-user-to-group: ${response.status} ${await response.text()}`);
}

export const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });

export async function signUp(page: Page, stack: Stack, person: Person): Promise<void> {
  await page.getByRole('tab', { name: 'Create Account' }).click();
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByLabel('Confirm Password').fill(person.password);
  await page.getByRole('button', { name: 'Create Account' }).click();
  await page.getByLabel('Confirmation Code').waitFor();
  await page.getByLabel('Confirmation Code').fill(await mailboxCode(stack, person.email));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await signedIn(page, person);
}

export async function signIn(page: Page, person: Person): Promise<void> {
  await page.getByRole('tab', { name: 'Sign In' }).click();
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signedIn(page, person);
}

export async function signedIn(page: Page, person: Person): Promise<void> {
  await page.getByText(`Signed in as ${person.email}`).waitFor();
  await heading(page, 'Your images').waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
}

/** The card of one of my images on /me, by the name it was uploaded under. */
export function myCard(page: Page, fileName: string): Locator {
  return page
    .getByRole('region', { name: 'Your images' })
    .getByRole('listitem')
    .filter({ has: page.getByText(fileName, { exact: true }) });
}

/** Resolves when the image has decoded (naturalWidth > 0); returns its natural size and URL. */
export async function decoded(image: Locator): Promise<{ width: number; height: number; src: string }> {
  await image.waitFor();
  await image.evaluate(
    (img: HTMLImageElement) =>
      new Promise<void>((resolve, reject) => {
        if (img.complete && img.naturalWidth > 0) return resolve();
        const timer = setTimeout(() => reject(new Error(`image did not load: ${img.src}`)), 20_000);
        img.addEventListener('load', () => (clearTimeout(timer), resolve()), { once: true });
        img.addEventListener(
          'error',
          () => (clearTimeout(timer), reject(new Error(`image failed: ${img.src}`))),
          {
            once: true,
          },
        );
      }),
  );
  return image.evaluate((img: HTMLImageElement) => ({
    width: img.naturalWidth,
    height: img.naturalHeight,
    src: img.currentSrc || img.src,
  }));
}

// The screens the README shows. `E2E_UPDATE_SCREENSHOTS=1 pnpm test:e2e` refreshes docs/screenshots/.
const README_SCREENS = new Set(['gallery', 'sign-in', 'my-images', 'detail']);

/** Saved by every run under e2e-artifacts/screens (gitignored), at the context's 1280 x 800 viewport. */
export async function screenshot(page: Page, name: string): Promise<void> {
  // No focus ring or caret left over from the last keystroke.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const dir = join(ARTIFACTS, 'screens');
  await mkdir(dir, { recursive: true });
  const image = await page.screenshot({ path: join(dir, `${name}.png`) });
  if (process.env.E2E_UPDATE_SCREENSHOTS === '1' && README_SCREENS.has(name)) {
    const docs = join(REPO_ROOT, 'docs', 'screenshots');
    await mkdir(docs, { recursive: true });
    await writeFile(join(docs, `${name}.png`), image);
  }
}
