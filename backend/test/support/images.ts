// Images the pipeline tests and the benchmark generate with sharp, hostile ones included.
import { createDeflate } from 'node:zlib';
import sharp from 'sharp';

type Rgb = { r: number; g: number; b: number };
const RED: Rgb = { r: 220, g: 20, b: 20 };
const BLUE: Rgb = { r: 20, g: 20, b: 220 };

/**
 * A photo-like JPEG: smooth colour areas (a small random field, enlarged) under sensor-like
 * noise, so encoders cannot cheat on flat colour. Made by libvips, fast even at 12 MP.
 */
export async function photo(width: number, height: number, seed = 1): Promise<Buffer> {
  const field = Buffer.alloc(16 * 12 * 3);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < field.length; i += 1) {
    state = (state * 1664525 + 1013904223) >>> 0;
    field[i] = state >>> 24;
  }
  const raw = { width, height, channels: 3 } as const;
  const smooth = await sharp(field, { raw: { width: 16, height: 12, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const noise = await sharp({
    create: { ...raw, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 20 } },
  })
    .raw()
    .toBuffer();
  return sharp(smooth, { raw })
    .composite([{ input: noise, raw, blend: 'overlay' }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Left half red, right half blue: after auto-orientation the red half must be where the viewer expects it. */
export async function halves(width: number, height: number): Promise<Buffer> {
  const left = await sharp({ create: { width: width / 2, height, channels: 3, background: RED } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: BLUE } })
    .composite([{ input: left, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

/** A JPEG with camera EXIF, a GPS position, a comment-like description, XMP and an ICC profile. */
export async function jpegWithGps(): Promise<Buffer> {
  return sharp(await photo(800, 600))
    .withExif({
      IFD0: {
        Make: 'SecretCam',
        Model: 'Model X-GPS',
        Software: 'leak-software-1.0',
        ImageDescription: 'home address 1 Secret Lane',
        Artist: 'Jane Private',
      },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 2614/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 3927/100',
      },
    })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Private XMP</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>',
    )
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** `halves` stored sideways with an EXIF orientation that tells the viewer how to turn it. */
export async function oriented(orientation: 6 | 8): Promise<Buffer> {
  return sharp(await halves(400, 200))
    .withMetadata({ orientation })
    .jpeg({ quality: 95 })
    .toBuffer();
}

/**
 * A valid PNG header declaring `side` x `side` grey pixels, followed by compressed zero rows:
 * a few hundred kB on disk, hundreds of MB once decoded.
 */
export async function pngBomb(side = 30_000, rows = 8_000): Promise<Buffer> {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const row = Buffer.alloc(side + 1);
  const block = Buffer.concat(Array.from({ length: 100 }, () => row));
  for (let written = 0; written < rows; written += 100) deflate.write(block);
  deflate.end();
  await done;
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'binary'),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.concat(parts)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function png16WithAlpha(): Promise<Buffer> {
  return sharp({ create: { width: 300, height: 200, channels: 4, background: { ...RED, alpha: 0.5 } } })
    .toColourspace('rgb16')
    .png()
    .toBuffer();
}

export async function cmykJpeg(): Promise<Buffer> {
  return sharp(await photo(300, 200))
    .toColourspace('cmyk')
    .jpeg()
    .toBuffer();
}

/** Three frames (red, blue, red) of an animated GIF. */
export async function animatedGif(): Promise<Buffer> {
  const frame = (background: Rgb) =>
    sharp({ create: { width: 120, height: 80, channels: 3, background } })
      .png()
      .toBuffer();
  const frames = await Promise.all([frame(RED), frame(BLUE), frame(RED)]);
  return sharp(frames, { join: { animated: true } })
    .gif({ loop: 0, delay: [100, 100, 100] })
    .toBuffer();
}

export async function webp(): Promise<Buffer> {
  return sharp(await photo(500, 400))
    .webp()
    .toBuffer();
}

export async function avif(): Promise<Buffer> {
  return sharp(await photo(500, 400))
    .avif({ effort: 0 })
    .toBuffer();
}

export const SVG_WITH_SCRIPT = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>',
);

export const HTML_PAGE = Buffer.from(
  '<!doctype html><html><body><script>fetch("/steal?c="+document.cookie)</script></body></html>',
);

export const APPENDED_HTML = '<html><script>alert("appended")</script></html>';

export async function heicLike(): Promise<Buffer> {
  // An ISO BMFF ftyp box with HEIC brands: enough to be recognised, nothing to decode.
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'ascii');
  ftyp.writeUInt32BE(0, 12);
  ftyp.write('mif1heic', 16, 'ascii');
  return Buffer.concat([ftyp, Buffer.alloc(100)]);
}
