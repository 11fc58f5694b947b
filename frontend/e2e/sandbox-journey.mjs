#!/usr/bin/env node
// The product as a new user meets it, against the local sandbox, in headless Chromium:
// sign up with the emailed code, upload, make the image public, see it as a guest, then
// remove it as an admin. Nothing leaves the machine: every non-loopback request is aborted.
//
//   pnpm start                       (sandbox + web app on http://localhost:3000)
//   node frontend/e2e/sandbox-journey.mjs
//
// APP_URL (default http://localhost:3000), APP_OUTPUTS_FILE (default ../outputs.sandbox.json),
// CHROMIUM (default /usr/bin/chromium). Exits non-zero on the first failed step.
/* global fetch, document -- Node 20's fetch; document inside functions that run in the page. */
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const appUrl = (process.env.APP_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const repo = resolve(import.meta.dirname, '..', '..');
const outputsFile = process.env.APP_OUTPUTS_FILE ?? join(repo, 'outputs.sandbox.json');
const outputs = JSON.parse(readFileSync(outputsFile, 'utf8'));
const sandbox = outputs.Sandbox;
if (!sandbox)
  throw new Error(`${outputsFile} has no Sandbox entry: this journey runs against the sandbox only.`);

const email = `e2e-${Date.now()}@example.com`;
const password = 'Harbour-Lights-42';
const displayName = 'Zoë Journey';
// Unique per run, so images left by an earlier run cannot satisfy this one.
const title = `harbour ${Date.now()}`;
const fileName = `${title.replace(' ', '-')}.png`;

const screenshots = process.env.E2E_SCREENSHOTS;
async function shoot(page, name) {
  if (screenshots) await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

function step(text) {
  console.log(`- ${text}`);
}

// A 48x32 RGB gradient PNG, so the browser has a real image to decode.
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y += 1) {
    const row = [0];
    for (let x = 0; x < width; x += 1) row.push((x * 255) / width, (y * 255) / height, 160);
    rows.push(Buffer.from(row));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function latestCode() {
  const response = await fetch(`${sandbox.MailboxUrl}?to=${encodeURIComponent(email)}`);
  const { messages } = await response.json();
  const code = messages.filter((message) => message.to === email && message.code).at(-1)?.code;
  if (!code) throw new Error(`no code in the sandbox mailbox for ${email}`);
  return code;
}

async function newContext(browser) {
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) return route.continue();
    console.error(`  blocked a non-loopback request: ${route.request().url()}`);
    return route.abort();
  });
  return context;
}

async function signIn(page) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your images' }).waitFor();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  const user = await newContext(browser);
  const page = await user.newPage();
  page.on('pageerror', (error) => console.error(`  page error: ${error.message}`));

  step(`sign up as ${email} and confirm with the emailed code`);
  await page.goto(`${appUrl}/me`);
  await page.getByRole('tab', { name: 'Create Account' }).click();
  await shoot(page, 'sign-up');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm Password').fill(password);
  await page.getByRole('button', { name: 'Create Account' }).click();
  await page.getByLabel('Confirmation Code').waitFor();
  await page.getByLabel('Confirmation Code').fill(await latestCode());
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: 'Your images' }).waitFor();
  await page.getByText('No images yet').waitFor();

  step('upload an image with a display name');
  await page.getByLabel('Your display name').fill(displayName);
  await page
    .locator('input[type="file"]')
    .setInputFiles({ name: fileName, mimeType: 'image/png', buffer: png(48, 32) });
  await page.getByText(fileName, { exact: true }).last().waitFor();
  const card = page.locator('li', { has: page.getByText(fileName, { exact: true }) }).last();
  await card.getByLabel('Who can see it').waitFor();
  const visibility = await card.getByLabel('Who can see it').inputValue();
  if (visibility !== 'protected')
    throw new Error(`new uploads should be visible to signed-in users, got ${visibility}`);
  // StorageImage: HeadObject, then a presigned GET, both through the service worker. The card
  // swaps the <img> for "Preview unavailable" when either fails.
  await page.waitForFunction((name) => {
    const card = [...document.querySelectorAll('li')].find((li) => li.textContent?.includes(name));
    const img = card?.querySelector('img');
    return card?.textContent?.includes('Preview unavailable') || (img?.complete && img.naturalWidth > 0);
  }, fileName);
  if (await card.getByText('Preview unavailable').count()) {
    throw new Error(
      'the preview of the upload did not load (StorageImage presigned GET through the service worker)',
    );
  }

  await shoot(page, 'me');

  step('make it public');
  await card.getByLabel('Who can see it').selectOption('public');
  await page.getByText(`“${fileName}” is now visible to: Everyone.`).waitFor();

  step('see it as a guest, served from the CDN stand-in');
  const guest = await newContext(browser);
  const guestPage = await guest.newPage();
  const guestScripts = [];
  guestPage.on('response', (response) => {
    if (response.request().resourceType() === 'script')
      guestScripts.push(response.text().then((text) => [response.url(), text]));
  });
  await guestPage.goto(`${appUrl}/`);
  const thumb = guestPage.getByRole('list', { name: 'Public images' }).getByRole('img', { name: title });
  await thumb.waitFor();
  const src = await thumb.getAttribute('src');
  if (!src?.startsWith(outputs['ImageShare-Storage']?.PublicBaseUrl ?? '\0'))
    throw new Error(`image not served from PublicBaseUrl: ${src}`);
  await guestPage.waitForFunction(
    (url) =>
      [...document.querySelectorAll('ul img')].some((img) => img.src === url && img.naturalWidth === 48),
    src,
  );
  await shoot(guestPage, 'gallery');
  await guestPage.setViewportSize({ width: 390, height: 844 });
  await shoot(guestPage, 'gallery-phone');
  await guestPage.getByRole('link', { name: new RegExp(fileName.replace('.', '\\.')) }).click();
  await guestPage.getByText(displayName, { exact: true }).waitFor();
  if (await guestPage.getByRole('button', { name: /Remove/ }).count())
    throw new Error('a guest was offered the admin remove button');
  await shoot(guestPage, 'detail');
  const amplified = (await Promise.all(guestScripts)).filter(([, text]) => text.includes('aws-amplify'));
  if (amplified.length)
    throw new Error(`guests downloaded Amplify: ${amplified.map(([url]) => url).join(', ')}`);
  step(`guests loaded ${guestScripts.length} scripts, none with Amplify`);

  step('an admin removes it from the gallery');
  execFileSync(
    'pnpm',
    ['exec', 'tsx', 'sandbox/src/cli.ts', 'add-to-group', email, '--port', new URL(sandbox.Endpoint).port],
    {
      cwd: repo,
      stdio: 'inherit',
    },
  );
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await signIn(page); // new tokens carry the admins group
  await page.goto(`${appUrl}/`);
  await page.getByRole('button', { name: `Remove ${fileName} (admin)` }).click();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await page.getByRole('img', { name: title }).waitFor({ state: 'detached', timeout: 15000 });
  await guestPage.goto(`${appUrl}/`);
  if (await guestPage.getByRole('img', { name: title }).count())
    throw new Error('the removed image is still in the gallery');

  console.log('\nThe journey passed.');
} finally {
  await browser.close();
}
