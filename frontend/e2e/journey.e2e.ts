// The product in a real browser: Debian's Chromium against the sandbox and a production build of
// the web app, each scenario asserting what a person sees. The scenarios run in order and build on
// each other (Ana's uploads are what the guest, Ben and the admin look at).
import type { BrowserContext, Page } from 'playwright-core';
import { GuardedBrowser } from './support/browser';
import { heading, newPerson, screenshot, signUp, signIn, signOut, signedIn } from './support/app';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let browser: GuardedBrowser;
const pageErrors: string[] = [];

async function openPage(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  await page.goto(`${stack.appUrl}${path}`);
  return page;
}

beforeAll(async () => {
  const started = Date.now();
  stack = await startStack();
  browser = await GuardedBrowser.launch();
  console.log(
    `e2e stack up in ${((Date.now() - started) / 1000).toFixed(1)} s (${Object.entries(stack.timings)
      .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`)
      .join(', ')}); app ${stack.appUrl}, sandbox ${stack.sandbox.endpoint}`,
  );
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

afterEach(() => {
  // A scenario that let a request leave the machine, or crashed a page, fails even if it saw what it wanted.
  const outbound = browser.takeOutbound();
  const errors = pageErrors.splice(0);
  expect(outbound).toEqual([]);
  expect(errors).toEqual([]);
});

const ana = newPerson('ana');

test('requests for other hosts are blocked, from plain pages and from pages under the S3 worker', async () => {
  const context = await browser.newContext();
  try {
    const guest = await openPage(context, '/');
    await heading(guest, 'Public gallery').waitFor();
    const plain = await guest.evaluate(() =>
      fetch('https://example.com/x.png').then(
        () => 'reached',
        () => 'failed',
      ),
    );
    expect(plain).toBe('failed');

    // /me registers the service worker that reroutes *.amazonaws.com; other hosts must not slip past it.
    const me = await openPage(context, '/me');
    await me.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await me.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    const controlled = await me.evaluate(() =>
      fetch('https://example.com/y.png', { mode: 'no-cors' }).then(
        () => 'reached',
        () => 'failed',
      ),
    );
    expect(controlled).toBe('failed');
    const seen = browser.takeOutbound().map((attempt) => attempt.url);
    expect(seen).toEqual(expect.arrayContaining(['https://example.com/x.png', 'https://example.com/y.png']));
  } finally {
    await context.close();
  }
});

test('a guest opens the gallery of a fresh site and is told it is empty', async () => {
  const context = await browser.newContext();
  try {
    const page = await openPage(context, '/');
    await heading(page, 'Public gallery').waitFor();
    await page
      .getByText(/no images/i)
      .first()
      .waitFor();
  } finally {
    await context.close();
  }
});

describe('Ana', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await browser.newContext();
  });
  afterAll(async () => {
    await context?.close();
  });

  test('signs up with the code from the mailbox', async () => {
    page = await openPage(context, '/me');
    await page.getByRole('tab', { name: 'Create Account' }).click();
    await screenshot(page, 'sign-up');
    await signUp(page, stack, ana);
    await page.getByText('No images yet').waitFor();
  });

  test('signs out and signs in again', async () => {
    await signOut(page);
    await screenshot(page, 'sign-in');
    await signIn(page, ana);
    await page.reload();
    await signedIn(page, ana); // the session survives a reload
  });
});
