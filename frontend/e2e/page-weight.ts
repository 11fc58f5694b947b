/**
 * pnpm --filter frontend page-weight — what a browser downloads for the gallery and for /me.
 *
 * Starts the product as the browser tests do (the sandbox and a production build, e2e/support),
 * signs a user up, uploads generated 12-MP photos with Amplify storage as the web app does, waits
 * until the pipeline made every record READY, publishes them through the data API, and then has
 * Chromium load the first gallery page at 1280 x 900 as a fresh guest (device pixel ratio 1 and 2)
 * and /me signed in (DPR 2). Per page: transfer bytes per resource type, requests, LCP. It is a
 * measurement: a missed target is printed, not an error; only a failed run exits non-zero.
 *
 *   pnpm --filter frontend page-weight [--images 24]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn as amplifySignIn, signUp } from 'aws-amplify/auth';
import { uploadData } from 'aws-amplify/storage';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { findOutputs, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { photo } from '../../backend/test/support/images';
import { installSandboxFetch } from '../../sandbox/src/routing/fetch-dispatcher';
import { mailboxCode, newPerson, signIn, type Person } from './support/app';
import { GuardedBrowser } from './support/browser';
import { FRONTEND, startStack, type Stack } from './support/stack';
import { toResourcesConfig } from '../lib/amplify-config';
import { userApi } from '../lib/api/browser';
import type { OwnImageRecord } from '../lib/api/operations';

const VIEWPORT = { width: 1280, height: 900 };
const TYPES = ['document', 'script', 'image', 'stylesheet', 'font', 'other'] as const;
type ResourceType = (typeof TYPES)[number];
const KB = 1000;
const TARGETS = { galleryImagesDpr2: 1000 * KB, galleryScript: 0, meImages: 1500 * KB };
const READY_TIMEOUT_MS = 10 * 60_000;

interface Measured {
  label: string;
  bytes: Record<ResourceType, number>;
  requests: number;
  lcpMs: number | null;
  images: number;
}

function typeOf(request: Request): ResourceType {
  const type = request.resourceType();
  return (TYPES as readonly string[]).includes(type) ? (type as ResourceType) : 'other';
}

/** Transfer size of one response: headers plus the body as it came over the wire (compressed). */
async function transferBytes(request: Request): Promise<number> {
  const response = await request.response();
  // A response the page's service worker made has no network transfer of its own; its body is
  // what the worker fetched from the sandbox (S3 objects, not content-encoded).
  if (response?.fromServiceWorker()) return (await response.body()).length;
  const sizes = await request.sizes();
  return sizes.responseHeadersSize + sizes.responseBodySize;
}

// The newest LCP candidate is the page's LCP; the observer is buffered, so it sees earlier ones.
const LCP_PROBE = `
  window.__pageWeightLcp = null;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__pageWeightLcp = entry.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
`;

/** Loads `url` in a new page of `context` and adds up what the page itself requested. */
async function measure(context: BrowserContext, url: string, label: string): Promise<Measured> {
  const page = await context.newPage();
  await page.addInitScript(LCP_PROBE);
  const pending: Promise<{ type: ResourceType; bytes: number }>[] = [];
  page.on('requestfinished', (request) => {
    // Requests the service worker sends on the page's behalf are counted once, as the page's.
    if (request.serviceWorker()) return;
    pending.push(transferBytes(request).then((bytes) => ({ type: typeOf(request), bytes })));
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  await allImagesLoaded(page);
  const lcpMs = await page.evaluate(
    () => (window as unknown as { __pageWeightLcp: number | null }).__pageWeightLcp,
  );
  const images = await page.locator('img').count();
  const results = await Promise.all(pending);
  await page.close();
  const bytes = Object.fromEntries(TYPES.map((type) => [type, 0])) as Record<ResourceType, number>;
  for (const result of results) bytes[result.type] += result.bytes;
  return { label, bytes, requests: results.length, lcpMs, images };
}

/** Waits for every eager image (lazy ones outside the viewport are not fetched, which is the point). */
async function allImagesLoaded(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      [...document.images].every(
        (img) => img.complete || (img.loading === 'lazy' && img.getBoundingClientRect().top > innerHeight),
      ),
    undefined,
    { timeout: 60_000 },
  );
}

async function seed(stack: Stack, person: Person, count: number): Promise<void> {
  const endpoint = stack.sandbox.endpoint;
  Amplify.configure(
    toResourcesConfig({
      outputs: { ...toAmplifyOutputs(findOutputs(stack.sandbox.outputs)) },
      sandboxEndpoint: endpoint,
    }),
  );
  installSandboxFetch(endpoint);
  await signUp({
    username: person.email,
    password: person.password,
    options: { userAttributes: { email: person.email } },
  });
  await confirmSignUp({ username: person.email, confirmationCode: await mailboxCode(stack, person.email) });
  await amplifySignIn({ username: person.email, password: person.password });
  const identityId = (await fetchAuthSession()).identityId;
  if (!identityId) throw new Error('the sandbox gave the signed-in user no identity');

  console.log(`uploading ${count} generated 12-MP photos (4000 x 3000 JPEG)...`);
  let uploadedBytes = 0;
  for (let i = 0; i < count; i += 1) {
    const data = await photo(4000, 3000, i + 1);
    uploadedBytes += data.length;
    const path = `protected/${identityId}/photo-${String(i + 1).padStart(2, '0')}.jpg`;
    await uploadData({ path, data, options: { contentType: 'image/jpeg' } }).result;
    process.stdout.write('.');
  }
  console.log(`\n  ${(uploadedBytes / 1e6).toFixed(1)} MB of originals`);

  const api = userApi();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let records: OwnImageRecord[] = [];
  for (;;) {
    records = (await api.myImages({ limit: 48 })).items;
    const rejected = records.find((record) => record.status === 'REJECTED');
    if (rejected) throw new Error(`${rejected.originalKey} was rejected: ${rejected.rejectionReason}`);
    if (records.length === count && records.every((record) => record.status === 'READY')) break;
    if (Date.now() > deadline) throw new Error(`not all ${count} images were READY in time`);
    await sleep(500);
  }
  for (const record of records) await api.setVisibility({ imageId: record.imageId, visibility: 'PUBLIC' });
  console.log(`  ${count} READY and published`);
}

/** The bundle report's lines for the signed-in routes (it reads the build this run used). */
function signedInScript(): string[] {
  const report = spawnSync(process.execPath, [join(FRONTEND, 'scripts', 'bundle-report.mjs')], {
    cwd: FRONTEND,
    encoding: 'utf8',
  });
  if (report.error) throw report.error;
  const lines = report.stdout.split('\n');
  const signedIn = lines.filter((line) => line.startsWith('/me'));
  if (signedIn.length === 0) throw new Error(`the bundle report printed no /me route:\n${report.stdout}`);
  return [lines[0]!, ...signedIn];
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} kB`;

function print(rows: Measured[]): void {
  const header = ['page', ...TYPES, 'total', 'requests', 'LCP', '<img>'];
  const table = rows.map((row) => [
    row.label,
    ...TYPES.map((type) => kb(row.bytes[type])),
    kb(TYPES.reduce((sum, type) => sum + row.bytes[type], 0)),
    String(row.requests),
    row.lcpMs === null ? 'none' : `${Math.round(row.lcpMs)} ms`,
    String(row.images),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const cells of table) console.log(line(cells));
}

function verdict(what: string, value: number, target: number): string {
  return `${what}: ${kb(value)} (target <= ${kb(target)}) ${value <= target ? 'met' : 'MISSED'}`;
}

async function main(): Promise<void> {
  // `pnpm page-weight -- --images 4` hands the script a literal `--` first.
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const { values } = parseArgs({ args, options: { images: { type: 'string', default: '24' } } });
  const count = Number(values.images);
  if (!Number.isInteger(count) || count < 1 || count > 48) throw new Error('--images takes 1 to 48');

  const started = Date.now();
  const stack = await startStack();
  let browser: GuardedBrowser | undefined;
  try {
    console.log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: app ${stack.appUrl}`);
    const person = newPerson('page-weight');
    await seed(stack, person, count);

    browser = await GuardedBrowser.launch();
    const rows: Measured[] = [];
    for (const deviceScaleFactor of [1, 2]) {
      const guest = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor });
      rows.push(await measure(guest, `${stack.appUrl}/`, `/ guest DPR ${deviceScaleFactor}`));
      await guest.close();
    }
    const signedIn = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 2 });
    const signInPage = await signedIn.newPage();
    await signInPage.goto(`${stack.appUrl}/me`);
    await signIn(signInPage, person);
    await signInPage.close();
    rows.push(await measure(signedIn, `${stack.appUrl}/me`, '/me signed in DPR 2'));
    await signedIn.close();

    const outbound = browser.takeOutbound();
    if (outbound.length > 0)
      throw new Error(`requests tried to leave the machine: ${JSON.stringify(outbound)}`);

    console.log(`\nPage weight at ${VIEWPORT.width} x ${VIEWPORT.height}, ${count} published 12-MP photos:`);
    print(rows);
    const [dpr2, me] = [rows[1]!, rows[2]!];
    console.log('\nTargets (a measurement: a missed target does not fail the run):');
    console.log(`  ${verdict('/ images at DPR 2', dpr2.bytes.image, TARGETS.galleryImagesDpr2)}`);
    console.log(`  ${verdict('/ script', dpr2.bytes.script, TARGETS.galleryScript)}`);
    console.log(`  ${verdict(`/me images (${count} images)`, me.bytes.image, TARGETS.meImages)}`);
    console.log('\nSigned-in routes, gzipped JavaScript (bundle report):');
    for (const line of signedInScript()) console.log(`  ${line}`);
  } finally {
    await browser?.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
