// The product in a real browser: Debian's Chromium against the sandbox and a production build of
// the web app, each scenario asserting what a person sees. The scenarios run in order and build on
// each other (Ana's uploads are what the guest, Ben and the admin look at).
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import {
  addToGroup,
  decoded,
  heading,
  mailboxCode,
  mailboxCount,
  myCard,
  newPerson,
  screenshot,
  signedIn,
  signIn,
  signOut,
  signUp,
} from './support/app';
import { GuardedBrowser } from './support/browser';
import { png, sha256, webpChunks, withGpsExif } from './support/images';
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

test('requests for other hosts are blocked and recorded, from plain pages and from pages under the S3 worker', async () => {
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
    expect(await me.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(
      /\/sandbox-sw\.js\?/,
    );
    const controlled = await me.evaluate(async () => {
      const viaFetch = await fetch('https://example.com/y.png', { mode: 'no-cors' }).then(
        () => 'reached',
        () => 'failed',
      );
      const viaImage = await new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve('reached');
        img.onerror = () => resolve('failed');
        img.src = 'https://example.org/z.png';
      });
      return [viaFetch, viaImage];
    });
    expect(controlled).toEqual(['failed', 'failed']);
    const seen = browser.takeOutbound();
    expect(seen.map((attempt) => attempt.url).sort()).toEqual([
      'https://example.com/x.png',
      'https://example.com/y.png',
      'https://example.org/z.png',
    ]);
    // Routing stopped each one itself; the resolver rule is only the second line.
    expect(seen.map((attempt) => attempt.outcome)).toEqual(['blocked', 'blocked', 'blocked']);
  } finally {
    await context.close();
  }
});

test('a guest opens the gallery of a fresh site and is told it is empty', async () => {
  const context = await browser.newContext();
  try {
    const page = await openPage(context, '/');
    await heading(page, 'No public images yet').waitFor();
    await screenshot(page, 'gallery-empty');
  } finally {
    await context.close();
  }
});

// The people in the story, and the images Ana shares.
const ana = newPerson('ana');
const ben = newPerson('ben');
const ANA_NAME = 'Ana Harbour';
const NEW_PASSWORD = 'Lantern-Tide-2077';
const harbour = { name: 'harbour.png', mimeType: 'image/png', buffer: png(640, 400, { seed: 0 }) };
const lighthouse = { name: 'lighthouse.png', mimeType: 'image/png', buffer: png(640, 400, { seed: 1 }) };
const dunes = { name: 'dunes.png', mimeType: 'image/png', buffer: png(640, 400, { seed: 2 }) };
const moonrise = { name: 'moonrise.png', mimeType: 'image/png', buffer: png(640, 400, { seed: 3 }) };
// 2048 x 2048 RGB, stored without compression: 12.6 MB, so Amplify uploads it in three 5 MiB parts.
const panorama = { name: 'panorama.png', mimeType: 'image/png', buffer: png(2048, 2048, { stored: true }) };

/** The CloudFront stand-in's URL of each of Ana's public images, as the gallery showed it. */
const cdnUrls = new Map<string, string>();

function galleryImage(page: Page, title: string) {
  return page.getByRole('list', { name: 'Public images' }).getByRole('img', { name: title, exact: true });
}

async function freshGuest<T>(work: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    const page = await openPage(context, '/');
    await heading(page, 'Public gallery').waitFor();
    return await work(page);
  } finally {
    await context.close();
  }
}

/** Collects each file's FileUploader status lines ("Uploading: 40%", "Uploaded") as they change. */
async function watchUploadStatus(page: Page): Promise<() => Promise<Record<string, string[]>>> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { uploadStatus: typeof seen }).uploadStatus = seen;
    const record = () => {
      for (const file of document.querySelectorAll('.amplify-fileuploader__file')) {
        const name = file.querySelector('.amplify-fileuploader__file__name')?.textContent?.trim();
        const status = file.querySelector('.amplify-fileuploader__file__status')?.textContent?.trim();
        if (!name || !status) continue;
        const lines = (seen[name] ??= []);
        if (lines.at(-1) !== status) lines.push(status);
      }
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  return () =>
    page.evaluate(() => (window as unknown as { uploadStatus: Record<string, string[]> }).uploadStatus);
}

/**
 * A file's status lines went "Uploading: n%" up to 100%, then "Uploaded", never through an error.
 * (In sandbox mode the web app sends upload XHRs straight to the sandbox: Chromium reports no
 * upload progress for requests a service worker answers.)
 */
function expectUploaded(lines: string[] | undefined) {
  expect(lines?.at(-1)).toBe('Uploaded');
  const before = (lines ?? []).slice(0, -1);
  for (const line of before) expect(line).toMatch(/^Uploading(: \d{1,3}%)?$/);
  const percentages = before.map((line) => Number(/(\d+)%$/.exec(line)?.[1] ?? 0));
  expect(percentages).toEqual([...percentages].sort((a, b) => a - b));
  expect(percentages.at(-1)).toBe(100);
}

const VISIBILITY = {
  PRIVATE: { label: 'Only me', hint: 'Nobody else can open it.' },
  SHARED: { label: 'Signed-in users', hint: 'Anyone signed in to this site can see it.' },
  PUBLIC: { label: 'Everyone', hint: 'Shown in the public gallery and served by the CDN.' },
};

async function setVisibility(page: Page, name: string, to: keyof typeof VISIBILITY) {
  await myCard(page, name).getByLabel('Who can see it').selectOption(to);
  await page.getByText(`“${name}” is now visible to: ${VISIBILITY[to].label}.`).waitFor();
  await myCard(page, name).getByText(VISIBILITY[to].hint).waitFor();
}

/** Title and alt text through the card's edit form (one updateImage call). */
async function editText(page: Page, name: string, text: { title: string; altText?: string }) {
  await myCard(page, name)
    .getByRole('button', { name: `Edit text of ${name}` })
    .click();
  const card = myCard(page, name);
  await card.getByLabel('Title').fill(text.title);
  if (text.altText) await card.getByLabel('Alt text').fill(text.altText);
  await card.getByRole('button', { name: 'Save' }).click();
  await myCard(page, text.title)
    .getByRole('button', { name: `Edit text of ${text.title}` })
    .waitFor();
}

/** Records whether any of my cards said "Processing…" while the page was watched. */
async function watchProcessing(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const flag = { seen: false };
    (window as unknown as { processing: typeof flag }).processing = flag;
    new MutationObserver(() => {
      const region = document.querySelector('[aria-labelledby="my-images-title"]');
      if (region?.textContent?.includes('Processing…')) flag.seen = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { processing: { seen: boolean } }).processing.seen);
}

/** A browser context of the calling describe block's own, opened before its tests and closed after. */
function ownContext(): () => BrowserContext {
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    context = await browser.newContext();
  });
  afterAll(async () => {
    await context?.close();
  });
  return () => {
    if (!context) throw new Error('The browser context is opened in beforeAll.');
    return context;
  };
}

describe('Ana', () => {
  const context = ownContext();
  let page: Page;

  test('signs up with the code from the mailbox', async () => {
    page = await openPage(context(), '/me');
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

  test('forgets her password, resets it with the mailed code, and signs in with the new one', async () => {
    await signOut(page);
    const codesBefore = await mailboxCount(stack, ana.email);
    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(ana.email);
    await page.getByRole('button', { name: 'Send code' }).click();
    const code = await mailboxCode(stack, ana.email, codesBefore);
    await page.getByLabel('Code', { exact: false }).first().fill(code);
    await page.getByLabel('New Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();

    // The old password is gone...
    await page.getByLabel('Email').fill(ana.email);
    await page.getByLabel('Password', { exact: true }).fill(ana.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Incorrect username or password.').waitFor();
    // ...and the new one works.
    ana.password = NEW_PASSWORD;
    await page.getByLabel('Password', { exact: true }).fill(ana.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signedIn(page, ana);
  });

  test('uploads images with the FileUploader; each shows “Processing…”, then its thumbnail', async () => {
    await page.getByLabel('Your display name').fill(ANA_NAME);
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Saved.').waitFor();
    const statuses = await watchUploadStatus(page);
    const processing = await watchProcessing(page);
    await page.locator('input[type="file"]').setInputFiles([harbour, lighthouse, dunes, moonrise]);
    await page.getByText('4 files uploaded').waitFor();
    const seen = await statuses();
    for (const file of [harbour, lighthouse, dunes, moonrise]) expectUploaded(seen[file.name]);
    for (const file of [harbour, lighthouse, dunes, moonrise]) {
      const card = myCard(page, file.name);
      // A rendition the pipeline made (320 px wide for a 1x screen), presigned, never the original.
      const image = await decoded(card.getByRole('img'));
      expect(image).toMatchObject({ width: 320, height: 200 });
      expect(image.src).toMatch(
        /^https:\/\/[^/]*amazonaws\.com\/renditions\/protected\/.*\/320\.webp\?.*X-Amz-Signature=/,
      );
      expect(await card.getByLabel('Who can see it').inputValue()).toBe('SHARED');
    }
    expect(await processing()).toBe(true);
    await screenshot(page, 'uploaded');
  });

  test('uploads a 12 MB image in parts and downloads the same bytes as her original', async () => {
    const partsBefore = browser.rerouted.filter((url) => /[?&]partNumber=/.test(url)).length;
    const statuses = await watchUploadStatus(page);
    await page.locator('input[type="file"]').setInputFiles([panorama]);
    const card = myCard(page, panorama.name);
    expect(await decoded(card.getByRole('img'))).toMatchObject({ width: 320, height: 320 });

    expectUploaded((await statuses())[panorama.name]);

    // Multipart: three UploadPart requests reached the sandbox.
    const parts = browser.rerouted
      .filter((url) => /[?&]partNumber=/.test(url))
      .slice(partsBefore)
      .map((url) => new URL(url).searchParams.get('partNumber'));
    expect(new Set(parts)).toEqual(new Set(['1', '2', '3']));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: `Download original of ${panorama.name}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(panorama.name);
    const path = await download.path();
    expect(sha256(await readFile(path))).toBe(sha256(panorama.buffer));
  });

  test('a file that only claims to be an image is not accepted, says why, and can be removed', async () => {
    const fake = {
      name: 'fake.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<html>not a picture</html>\n'),
    };
    await page.locator('input[type="file"]').setInputFiles([fake]);
    const card = myCard(page, fake.name);
    await card.getByText(/^Not accepted: /).waitFor();
    await screenshot(page, 'rejected');
    await card.getByRole('button', { name: `Delete ${fake.name}` }).click();
    await card.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText(`“${fake.name}” was deleted.`).waitFor();
    expect(await myCard(page, fake.name).count()).toBe(0);
  });

  test('titles and publishes images; a fresh guest sees the newest first, as renditions from CloudFront', async () => {
    await editText(page, harbour.name, {
      title: 'Harbour at dawn',
      altText: 'Boats moored in a calm harbour',
    });
    await editText(page, lighthouse.name, { title: 'Lighthouse' });
    await editText(page, dunes.name, { title: 'Dunes' });
    await editText(page, moonrise.name, { title: 'Moonrise' });
    await setVisibility(page, 'Harbour at dawn', 'PUBLIC');
    await setVisibility(page, 'Lighthouse', 'PUBLIC');
    await setVisibility(page, 'Dunes', 'PUBLIC');

    await freshGuest(async (guest) => {
      const scripts: string[] = [];
      guest.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(request.url());
      });
      await guest.reload();
      // Published last, shown first.
      const first = guest.getByRole('list', { name: 'Public images' }).getByRole('img').first();
      expect(await first.getAttribute('alt')).toBe(`Photo: Dunes by ${ANA_NAME}`);
      for (const [file, alt] of [
        [harbour, 'Boats moored in a calm harbour'],
        [lighthouse, `Photo: Lighthouse by ${ANA_NAME}`],
        [dunes, `Photo: Dunes by ${ANA_NAME}`],
      ] as const) {
        const shown = await decoded(galleryImage(guest, alt));
        // From the srcset: the 640 rendition for a 422-px (33vw) card at 1x; never the original.
        expect(shown.src.startsWith(`${stack.publicBaseUrl}/`)).toBe(true);
        expect(shown.src).toMatch(/\/(320|640)\.webp$/);
        cdnUrls.set(file.name, shown.src);
      }
      expect(await galleryImage(guest, `Photo: Moonrise by ${ANA_NAME}`).count()).toBe(0);
      await screenshot(guest, 'gallery');
      // Guests download no JavaScript at all (so no Amplify either): the gallery is plain HTML.
      expect(scripts).toEqual([]);

      await guest.getByRole('link', { name: /Harbour at dawn/ }).click();
      await heading(guest, 'Harbour at dawn').waitFor();
      expect(scripts).toEqual([]); // the detail page has none either
      const detail = await decoded(guest.getByRole('img', { name: 'Boats moored in a calm harbour' }));
      expect(detail.src).toMatch(/\/640\.webp$|\/1280\.webp$/);
      expect(await guest.getByRole('link', { name: /\(admin\)/ }).count()).toBe(0);
      await screenshot(guest, 'detail');
    });

    // What CloudFront serves is a re-encoded WebP, not the uploaded file.
    const response = await fetch(cdnUrls.get(harbour.name)!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(sha256(bytes)).not.toBe(sha256(harbour.buffer));
  });

  test('makes one private again; it leaves the gallery and CloudFront stops serving it at once', async () => {
    const url = cdnUrls.get(harbour.name)!;
    // Cached at the edge by now (the guest and the check above fetched it).
    expect((await fetch(url)).headers.get('x-cache')).toMatch(/^Hit from cloudfront$/i);
    await setVisibility(page, 'Harbour at dawn', 'PRIVATE');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'my-images');
    expect((await fetch(url)).status).toBe(403);
    await freshGuest(async (guest) => {
      await decoded(galleryImage(guest, `Photo: Lighthouse by ${ANA_NAME}`));
      expect(await galleryImage(guest, 'Boats moored in a calm harbour').count()).toBe(0);
      const direct = await guest.goto(url);
      expect(direct?.status()).toBe(403);
    });
  });

  test('a photo with a GPS position: every file of it a guest can fetch is a WebP without EXIF or XMP', async () => {
    // A JPEG from the browser's own encoder, with the EXIF GPS block a phone would write.
    const jpeg = await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [640, 480];
      const context = canvas.getContext('2d')!;
      const gradient = context.createLinearGradient(0, 0, 640, 480);
      gradient.addColorStop(0, '#1d4e89');
      gradient.addColorStop(1, '#f2b134');
      context.fillStyle = gradient;
      context.fillRect(0, 0, 640, 480);
      const blob = await new Promise<Blob>((resolve, reject) =>
        canvas.toBlob((made) => (made ? resolve(made) : reject(new Error('no JPEG'))), 'image/jpeg', 0.9),
      );
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    });
    const photo = {
      name: 'pin.jpg',
      mimeType: 'image/jpeg',
      buffer: withGpsExif(Buffer.from(jpeg), 48.8584, 2.2945),
    };
    expect(photo.buffer.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(true);
    await page.locator('input[type="file"]').setInputFiles([photo]);
    await decoded(myCard(page, photo.name).getByRole('img'));
    await editText(page, photo.name, { title: 'Pinned' });
    await setVisibility(page, 'Pinned', 'PUBLIC');

    const sources = (image: ReturnType<Page['getByRole']>) =>
      image.evaluate((img: HTMLImageElement) => [
        img.currentSrc,
        ...img.srcset
          .split(',')
          .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
          .filter(Boolean),
      ]);
    const urls = await freshGuest(async (guest) => {
      const card = galleryImage(guest, `Photo: Pinned by ${ANA_NAME}`);
      await decoded(card);
      const fromGallery = await sources(card);
      await guest.getByRole('link', { name: /Pinned/ }).click();
      await heading(guest, 'Pinned').waitFor();
      const detail = guest.getByRole('img', { name: `Photo: Pinned by ${ANA_NAME}` });
      await decoded(detail);
      return [...new Set([...fromGallery, ...(await sources(detail))])];
    });
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) {
      expect(url.startsWith(`${stack.publicBaseUrl}/`)).toBe(true);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      const chunks = webpChunks(bytes);
      expect(chunks.filter((id) => id === 'EXIF' || id === 'XMP ')).toEqual([]);
      // VP8X's flags would announce EXIF (0x08) or XMP (0x04) metadata.
      if (chunks[0] === 'VP8X') expect(bytes[20]! & 0x0c).toBe(0);
    }
  });

  test('a non-image and an oversized image are refused before anything is uploaded', async () => {
    const [viaWorker, rerouted] = [browser.viaWorker.length, browser.rerouted.length];
    await page
      .locator('input[type="file"]')
      .setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture\n') }]);
    await page
      .getByRole('alert')
      .filter({ hasText: 'notes.txt' })
      .getByText(/is not an image this site accepts/)
      .waitFor();

    // 2400 x 2200 stored: 15.8 MB, over the 15 MB limit.
    const huge = { name: 'huge.png', mimeType: 'image/png', buffer: png(2400, 2200, { stored: true }) };
    await page.locator('input[type="file"]').setInputFiles([huge]);
    await page.getByText('Too large: images can be at most 15 MB. Not uploaded.').waitFor();
    await screenshot(page, 'refused');

    await page.reload();
    await signedIn(page, ana);
    await decoded(myCard(page, 'Lighthouse').getByRole('img'));
    expect(await myCard(page, 'notes.txt').count()).toBe(0);
    expect(await myCard(page, 'huge.png').count()).toBe(0);
    const sent = [...browser.viaWorker.slice(viaWorker), ...browser.rerouted.slice(rerouted)].filter((url) =>
      /notes\.txt|huge\.png/.test(url),
    );
    expect(sent).toEqual([]);
  });
});

describe('Ben, a second user', () => {
  const context = ownContext();
  let page: Page;

  test("sees a page of images shared with signed-in users, as renditions, but not Ana's private one", async () => {
    const sharedQueries: string[] = [];
    page = await openPage(context(), '/me');
    page.on('request', (request) => {
      if (request.method() === 'POST' && /SharedImages/.test(request.postData() ?? ''))
        sharedQueries.push(request.postData() ?? '');
    });
    await signUp(page, stack, ben);
    await page.getByText('No images yet').waitFor();
    const shared = page.getByRole('region', { name: 'Shared with signed-in users' });
    const moon = await decoded(shared.getByRole('img', { name: `Photo: Moonrise by ${ANA_NAME}` }));
    expect(moon.width).toBe(320);
    expect(moon.src).toMatch(/\/renditions\/protected\/.*\/320\.webp\?/);
    expect(await shared.getByText('Harbour at dawn').count()).toBe(0); // private
    // One page asked for, with the page size the API allows.
    expect(sharedQueries).toHaveLength(1);
    expect(JSON.parse(sharedQueries[0]!).variables).toEqual({ limit: 24 });
    await screenshot(page, 'shared');
  });

  test('a forged moderator hint shows him a moderation link, but the moderation page refuses him', async () => {
    // The guest pages have no scripts, so they learn who moderates from a cookie the signed-in area
    // writes. Ben sets it by hand: the link appears, and the page behind it checks his session.
    await context().addCookies([{ name: 'snapshelf-moderator', value: '1', url: stack.appUrl }]);
    await page.goto(`${stack.appUrl}/`);
    await page.getByRole('link', { name: 'Moderate Lighthouse (admin)' }).click();
    await page
      .getByRole('alert')
      .getByText('Only admins can hide or remove images from the public gallery.', { exact: false })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Remove', exact: true }).count()).toBe(0);
    await screenshot(page, 'refused-moderation');
    // The signed-in area corrects the hint from the real session.
    const hinted = async () =>
      (await context().cookies()).some((cookie) => cookie.name === 'snapshelf-moderator');
    for (let tries = 0; (await hinted()) && tries < 50; tries += 1) await page.waitForTimeout(100);
    expect(await hinted()).toBe(false);
    await page.goto(`${stack.appUrl}/`);
    await galleryImage(page, `Photo: Lighthouse by ${ANA_NAME}`).waitFor();
    expect(await page.getByRole('link', { name: /\(admin\)/ }).count()).toBe(0);
    expect((await fetch(cdnUrls.get(lighthouse.name)!)).status).toBe(200);
  });

  test('made an admin, removes a public image: it leaves the gallery and its cached CDN URL stops answering', async () => {
    const url = cdnUrls.get(lighthouse.name)!;
    expect((await fetch(url)).headers.get('x-cache')).toMatch(/^Hit from cloudfront$/i);
    await addToGroup(stack, ben.email, 'admins');
    await page.goto(`${stack.appUrl}/me`);
    await signOut(page);
    await signIn(page, ben); // the new tokens carry the group
    await page.goto(`${stack.appUrl}/`);
    await page.getByRole('link', { name: 'Moderate Lighthouse (admin)' }).click();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('status').getByText('“Lighthouse” was removed, with its file.').waitFor();
    expect((await fetch(url)).status).toBe(403);
    await page.getByRole('link', { name: '← Back to the gallery' }).click();
    await galleryImage(page, `Photo: Dunes by ${ANA_NAME}`).waitFor();
    expect(await galleryImage(page, `Photo: Lighthouse by ${ANA_NAME}`).count()).toBe(0);

    await freshGuest(async (guest) => {
      await decoded(galleryImage(guest, `Photo: Dunes by ${ANA_NAME}`));
      expect(await galleryImage(guest, `Photo: Lighthouse by ${ANA_NAME}`).count()).toBe(0);
    });

    // Signing out takes the moderation links away from the guest pages.
    await page.getByRole('link', { name: 'Moderate Dunes (admin)' }).waitFor();
    await page.goto(`${stack.appUrl}/me`);
    await signOut(page);
    await page.goto(`${stack.appUrl}/`);
    await galleryImage(page, `Photo: Dunes by ${ANA_NAME}`).waitFor();
    expect(await page.getByRole('link', { name: /\(admin\)/ }).count()).toBe(0);
  });
});

describe('Ana deletes her account', () => {
  const context = ownContext();

  test('nothing of hers is served afterwards, and she ends signed out on the gallery', async () => {
    const page = await openPage(context(), '/me');
    await signIn(page, ana);
    const dunesUrl = cdnUrls.get(dunes.name)!;
    expect((await fetch(dunesUrl)).status).toBe(200);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete everything' }).click();
    await heading(page, 'Public gallery').waitFor();
    // The pipeline removes the published copies as the deleted originals' events arrive.
    let status = 0;
    for (let tries = 0; tries < 100; tries += 1) {
      status = (await fetch(dunesUrl)).status;
      if (status === 403) break;
      await page.waitForTimeout(100);
    }
    expect(status).toBe(403);
    await page.reload();
    // Her profile is gone too, so a card left behind would no longer say "by Ana Harbour".
    expect(
      await page
        .getByRole('list', { name: 'Public images' })
        .getByRole('img', { name: /^Photo: Dunes/ })
        .count(),
    ).toBe(0);
    await page.goto(`${stack.appUrl}/me`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  });
});
