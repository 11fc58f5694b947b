// The pipeline on real sharp and a local DynamoDB, with an in-memory bucket: what each kind of
// upload becomes, and how duplicates, late events and crashes are survived.
import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { createPipeline } from '../../functions/pipeline/pipeline';
import { type ImageRecord, ImageRecords, imageIdOf } from '../../functions/shared/records';
import { publish } from '../../functions/shared/publishing';
import * as images from '../support/images';
import { type LocalDynamo, startLocalDynamo } from '../support/local-dynamo';
import { MemoryStore, RecordingCdn } from '../support/memory-store';
import { OWNER, s3Event } from '../support/s3-events';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.close());

let sequence = 0x1000;
/** Sequencers grow with each upload; lengths vary as S3's do. */
const nextSequencer = () => (sequence += 0x10).toString(16).toUpperCase();

function setup() {
  const store = new MemoryStore();
  const cdn = new RecordingCdn();
  const records = new ImageRecords(dynamo.db, dynamo.tableName);
  const run = createPipeline({ store, records, cdn, logger: new Logger({ logLevel: 'SILENT' }) });
  let n = 0;
  const upload = async (
    bytes: Buffer,
    name = `photo-${(n += 1)}-${Math.random()}.jpg`,
    folder = 'protected',
  ) => {
    const key = `${folder}/${OWNER}/${name}`;
    store.objects.set(key, { body: bytes });
    const sequencer = nextSequencer();
    await run(s3Event('ObjectCreated:Put', key, sequencer, bytes.length));
    return { key, sequencer, imageId: imageIdOf(key) };
  };
  const record = async (imageId: string) => (await records.get(imageId)) as ImageRecord;
  const renditions = (imageId: string) => store.keys().filter((key) => key.includes(`/${imageId}/`));
  return { store, cdn, records, run, upload, record, renditions };
}

describe('what an upload becomes', () => {
  let ctx: ReturnType<typeof setup>;
  beforeAll(() => {
    ctx = setup();
  });
  const upload = (...args: Parameters<ReturnType<typeof setup>['upload']>) => ctx.upload(...args);
  const record = (imageId: string) => ctx.record(imageId);
  const renditions = (imageId: string) => ctx.renditions(imageId);
  const stored = (key: string | undefined) => ctx.store.objects.get(key as string);

  test.each([
    ['an empty file', async () => Buffer.alloc(0), 'The file is empty.'],
    [
      'a file over the size limit',
      async () => Buffer.alloc(16 * 1024 * 1024, 1),
      'The file is 16.0 MB; the limit is 15.0 MB.',
    ],
    [
      'a truncated JPEG',
      async () => (await images.photo(400, 300)).subarray(0, 20_000),
      'The image file is damaged or incomplete, so it could not be read.',
    ],
    [
      'an HTML file named .png',
      async () => images.HTML_PAGE,
      'This file is a web page or other text, not an image (we accept JPEG, PNG, WebP, AVIF or GIF).',
    ],
    [
      'an SVG with a script',
      async () => images.SVG_WITH_SCRIPT,
      'SVG drawings are not accepted because they can carry scripts. Export it as PNG and upload that (we accept JPEG, PNG, WebP, AVIF or GIF).',
    ],
    [
      'a HEIC photo',
      images.heicLike,
      'HEIC photos are not accepted yet. On an iPhone choose Settings > Camera > Formats > Most Compatible, or export the photo as JPEG.',
    ],
    [
      'a PDF',
      async () => Buffer.from('%PDF-1.7\n1 0 obj\n'),
      'This file is not in a format we accept (JPEG, PNG, WebP, AVIF or GIF).',
    ],
  ])('%s is REJECTED with a reason', async (_name, make, reason) => {
    const { imageId } = await upload(await make(), 'file.png');
    expect(await record(imageId)).toMatchObject({ status: 'REJECTED', rejectionReason: reason });
    expect(renditions(imageId)).toEqual([]);
  });

  test('a decompression bomb (900 MP PNG of a few hundred kB) is refused from its header, quickly', async () => {
    const bomb = await images.pngBomb();
    expect(bomb.length).toBeLessThan(400_000);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const { imageId } = await upload(bomb, 'bomb.png');
    expect(performance.now() - started).toBeLessThan(1000);
    // Decoding it would take 900 MB of pixels.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    expect(await record(imageId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'The image is 30000 × 30000 pixels (900 megapixels); the limit is 50 megapixels.',
    });
  });

  test('a JPEG with GPS, camera EXIF and XMP: READY, and no rendition keeps any of it', async () => {
    const input = await images.jpegWithGps();
    const inputMeta = await sharp(input).metadata();
    expect(inputMeta.exif).toBeDefined();
    expect(inputMeta.xmp).toBeDefined();
    const { imageId } = await upload(input);
    expect(await record(imageId)).toMatchObject({ status: 'READY', width: 800, height: 600 });
    const keys = renditions(imageId);
    expect(keys.map((k) => k.replace(/.*\//, ''))).toEqual(['1280.webp', '320.webp', '640.webp']);
    for (const key of keys) {
      const body = stored(key)?.body as Buffer;
      const meta = await sharp(body).metadata();
      expect(meta.format).toBe('webp');
      expect([meta.exif, meta.xmp, meta.icc, meta.iptc, meta.comments]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      // No metadata chunk in the WebP container at all: only image data (a byte search for
      // "EXIF" or "GPS" would also hit those bytes inside compressed pixels now and then).
      expect(webpChunks(body).filter((c) => !['VP8 ', 'VP8L', 'VP8X', 'ALPH'].includes(c))).toEqual([]);
      // Strings long enough that compressed pixels never contain them by chance.
      for (const secret of ['SecretCam', 'Secret Lane', 'Jane Private', 'leak-software', 'Model X-GPS'])
        expect(body.includes(secret)).toBe(false);
    }
  });

  test.each([6, 8] as const)('EXIF orientation %i: renditions are upright', async (orientation) => {
    // Stored 400 x 200 (red left), shown turned: 200 x 400, red on top (6) or at the bottom (8).
    const { imageId } = await upload(await images.oriented(orientation));
    expect(await record(imageId)).toMatchObject({ status: 'READY', width: 200, height: 400 });
    const key = renditions(imageId).find((k) => k.endsWith('/640.webp'));
    const { data, info } = await sharp(stored(key)?.body).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([200, 400]);
    const redAt = (y: number) => {
      const i = (y * info.width + Math.floor(info.width / 2)) * info.channels;
      return (data[i] as number) > 150 && (data[i + 2] as number) < 100;
    };
    expect(redAt(20)).toBe(orientation === 6);
    expect(redAt(info.height - 20)).toBe(orientation === 8);
  });

  test('a JPEG with HTML appended is re-encoded: nothing trailing survives', async () => {
    const input = Buffer.concat([await images.photo(400, 300), Buffer.from(images.APPENDED_HTML)]);
    const { imageId } = await upload(input);
    expect(await record(imageId)).toMatchObject({ status: 'READY' });
    for (const key of renditions(imageId)) {
      const body = stored(key)?.body as Buffer;
      expect(body.includes('<script')).toBe(false);
      expect(body.includes('<html')).toBe(false);
    }
  });

  test('a 16-bit PNG with alpha: READY, 8-bit WebP that keeps the alpha', async () => {
    const { imageId } = await upload(await images.png16WithAlpha(), 'alpha.png');
    expect(await record(imageId)).toMatchObject({ status: 'READY', width: 300, height: 200 });
    const meta = await sharp(stored(renditions(imageId)[0])?.body).metadata();
    expect(meta).toMatchObject({ format: 'webp', hasAlpha: true, depth: 'uchar' });
  });

  test('a CMYK JPEG: READY, sRGB out', async () => {
    expect((await sharp(await images.cmykJpeg()).metadata()).space).toBe('cmyk');
    const { imageId } = await upload(await images.cmykJpeg());
    expect(await record(imageId)).toMatchObject({ status: 'READY' });
    const meta = await sharp(stored(renditions(imageId)[0])?.body).metadata();
    expect(meta).toMatchObject({ space: 'srgb', channels: 3 });
  });

  test('an animated GIF: READY from its first frame, as a still', async () => {
    const { imageId } = await upload(await images.animatedGif(), 'anim.gif');
    expect(await record(imageId)).toMatchObject({
      status: 'READY',
      width: 120,
      height: 80,
      placeholder: expect.stringMatching(/^#/),
    });
    const body = stored(renditions(imageId)[0])?.body as Buffer;
    expect((await sharp(body).metadata()).pages).toBeUndefined();
    const { dominant } = await sharp(body).stats();
    expect(dominant.r).toBeGreaterThan(dominant.b);
  });

  test.each([
    ['WebP', images.webp],
    ['AVIF', images.avif],
  ])('a %s input: READY', async (_name, make) => {
    const { imageId } = await upload(await make());
    expect(await record(imageId)).toMatchObject({
      status: 'READY',
      width: 500,
      height: 400,
      renditions: [
        { size: 320, width: 320, height: 256 },
        { size: 640, width: 500, height: 400 },
      ],
    });
  });

  test('an extreme aspect ratio (10000 x 20): READY, no side below 1 px', async () => {
    const input = await sharp({ create: { width: 10_000, height: 20, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const { imageId } = await upload(input, 'strip.png');
    const stored = await record(imageId);
    expect(stored).toMatchObject({ status: 'READY', width: 10_000, height: 20 });
    expect(stored.renditions?.map((r) => [r.width, r.height])).toEqual([
      [320, 1],
      [640, 1],
      [1280, 3],
      [2048, 4],
    ]);
  });

  test("renditions carry the pipeline's Content-Type and Cache-Control", async () => {
    const { imageId } = await upload(await images.photo(640, 480));
    for (const key of renditions(imageId)) {
      expect(stored(key)).toMatchObject({
        contentType: 'image/webp',
        cacheControl: 'public, max-age=31536000, immutable',
      });
    }
  });
});

describe('idempotency and ordering', () => {
  test('the same event twice: processed once', async () => {
    const { store, run, records } = setup();
    const key = `protected/${OWNER}/twice.jpg`;
    const bytes = await images.photo(400, 300);
    store.objects.set(key, { body: bytes });
    const event = s3Event('ObjectCreated:Put', key, nextSequencer(), bytes.length);
    await run(event);
    const first = (await records.get(imageIdOf(key))) as ImageRecord;
    let puts = 0;
    store.beforePut = () => (puts += 1);
    await run(event);
    expect(puts).toBe(0);
    expect(await records.get(imageIdOf(key))).toEqual(first);
  });

  test('sequencers of different lengths compare as zero-padded hex', async () => {
    const { store, run, records } = setup();
    const key = `protected/${OWNER}/lengths.jpg`;
    const bytes = await images.photo(200, 100);
    store.objects.set(key, { body: bytes });
    // "FF" is older than "0100" padded: the delete is newer and wins.
    await run(s3Event('ObjectRemoved:DeleteMarkerCreated', key, '0000000100'));
    await run(s3Event('ObjectCreated:Put', key, 'FF', bytes.length));
    expect(await records.get(imageIdOf(key))).toMatchObject({ status: 'DELETED' });
  });

  test('ObjectRemoved before ObjectCreated is processed: the image never appears', async () => {
    const { store, run, records } = setup();
    const key = `protected/${OWNER}/late.jpg`;
    const bytes = await images.photo(400, 300);
    const created = nextSequencer();
    const removed = nextSequencer();
    await run(s3Event('ObjectRemoved:DeleteMarkerCreated', key, removed));
    store.objects.set(key, { body: bytes }); // still readable by version in a versioned bucket
    await run(s3Event('ObjectCreated:Put', key, created, bytes.length));
    expect(await records.get(imageIdOf(key))).toMatchObject({ status: 'DELETED' });
    expect(store.keys('renditions/')).toEqual([]);
  });

  test('a delete removes the renditions, the published copies and the record, and purges the CDN', async () => {
    const { store, run, records, cdn, upload } = setup();
    const { key, imageId } = await upload(await images.photo(640, 480));
    const ready = (await records.get(imageId)) as ImageRecord;
    await publish(store, ready);
    await records.update({ ...ready, visibility: 'public', publishedAt: ready.updatedAt }, ready);
    expect(store.keys('public/')).toHaveLength(2);
    await run(s3Event('ObjectRemoved:DeleteMarkerCreated', key, nextSequencer()));
    expect(await records.get(imageId)).toMatchObject({ status: 'DELETED', wasPublic: true });
    expect(store.keys()).toEqual([key]);
    expect(cdn.invalidations).toEqual([[`/${OWNER}/${imageId}/*`]]);
  });

  test('a crash between renditions and record: nothing listed, and the retry finishes', async () => {
    const { store, run, records } = setup();
    const key = `protected/${OWNER}/crash.jpg`;
    const bytes = await images.photo(1400, 1000);
    store.objects.set(key, { body: bytes });
    const event = s3Event('ObjectCreated:Put', key, nextSequencer(), bytes.length);
    let puts = 0;
    store.beforePut = () => {
      if ((puts += 1) === 3) throw new Error('crash');
    };
    await expect(run(event)).rejects.toThrow('crash');
    const half = (await records.get(imageIdOf(key))) as ImageRecord;
    expect(half.status).toBe('PROCESSING');
    expect(await listed(half)).toEqual({ shared: false, public: false });

    store.beforePut = () => undefined;
    await run(event);
    const done = (await records.get(imageIdOf(key))) as ImageRecord;
    expect(done).toMatchObject({ status: 'READY' });
    expect(done.renditions).toHaveLength(4);
    expect(await listed(done)).toEqual({ shared: true, public: false });
  });

  test('a newer upload under the same name replaces the renditions of the older one', async () => {
    const { store, upload } = setup();
    const first = await upload(await images.photo(400, 300), 'same.jpg');
    const second = await upload(await images.photo(300, 200, 7), 'same.jpg');
    expect(first.imageId).toBe(second.imageId);
    const versions = new Set(store.keys('renditions/').map((k) => k.split('/').at(-2)));
    expect([...versions]).toEqual([second.sequencer]);
  });

  test('private uploads stay private: rendered, never in a shared listing', async () => {
    const { upload, record } = setup();
    const { imageId } = await upload(await images.photo(200, 100), 'mine.jpg', 'private');
    const stored = await record(imageId);
    expect(stored).toMatchObject({ status: 'READY', visibility: 'private' });
    expect(await listed(stored)).toEqual({ shared: false, public: false });
  });

  test('keys outside the originals folders are ignored', async () => {
    const { store, run } = setup();
    await run(
      s3Event('ObjectCreated:Put', `renditions/protected/${OWNER}/x/1/320.webp`, nextSequencer(), 10),
    );
    await run(s3Event('ObjectCreated:Put', 'protected/not-an-identity/x.jpg', nextSequencer(), 10));
    expect(store.keys()).toEqual([]);
  });
});

/** Whether the record carries the keys of the shared and public feeds. */
async function listed(record: ImageRecord) {
  const { Item } = await dynamo.db.send(
    new GetCommand({ TableName: dynamo.tableName, Key: { pk: `IMG#${record.imageId}`, sk: 'IMG' } }),
  );
  return { shared: Item?.sharedPk !== undefined, public: Item?.publicPk !== undefined };
}

/**
 * The FourCC of each chunk of a RIFF WebP file, in order. Walked by hand: reading chunk headers is
 * eight bytes each, and sharp reports only what it understands, not what else the file carries.
 */
function webpChunks(body: Buffer): string[] {
  expect(body.toString('latin1', 0, 4)).toBe('RIFF');
  expect(body.toString('latin1', 8, 12)).toBe('WEBP');
  const chunks: string[] = [];
  for (let at = 12; at + 8 <= body.length;) {
    chunks.push(body.toString('latin1', at, at + 4));
    const size = body.readUInt32LE(at + 4);
    at += 8 + size + (size % 2);
  }
  return chunks;
}
