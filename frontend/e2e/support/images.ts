// Real image files for the uploader, made here so the suite needs no binary fixtures.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, sum]);
}

type Rgb = readonly [number, number, number];

// Sky top, sky at the horizon, sun, water: one small scene per seed, so the gallery looks like one.
const PALETTES: readonly (readonly [Rgb, Rgb, Rgb, Rgb])[] = [
  [
    [24, 44, 96],
    [242, 160, 110],
    [255, 226, 150],
    [28, 70, 110],
  ], // dusk harbour
  [
    [92, 150, 220],
    [200, 228, 248],
    [255, 250, 220],
    [40, 110, 150],
  ], // bright day
  [
    [60, 30, 90],
    [250, 120, 80],
    [255, 200, 120],
    [120, 80, 60],
  ], // desert sunset
  [
    [10, 14, 40],
    [60, 70, 130],
    [235, 235, 250],
    [16, 30, 60],
  ], // moonlit
];

// Unrounded: the byte store truncates, after the clamp below.
const mix = (a: number, b: number, t: number) => a + (b - a) * t;

/**
 * An RGB PNG of a simple landscape (sky, sun, rippled water). `stored` skips compression: the
 * file is then about width * height * 3 bytes, which is how the suite gets a large valid image.
 */
export function png(width: number, height: number, { seed = 0, stored = false } = {}): Buffer {
  const [skyTop, horizonColour, sunColour, water] = PALETTES[seed % PALETTES.length]!;
  const horizon = Math.round(height * (0.55 + 0.1 * ((seed % 3) - 1)));
  const sun = { x: width * (0.25 + 0.5 * (((seed * 37) % 100) / 100)), y: horizon * 0.6, r: height * 0.09 };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const raw = Buffer.alloc(height * (1 + width * 3));
  // Math's functions held in locals: in jest's VM context every global lookup goes through the
  // context's interceptors, which made this loop 20 times slower.
  const { abs, max, min, sin, sqrt } = Math;
  for (let y = 0; y < height; y += 1) {
    const row = y * (1 + width * 3); // each row starts with filter byte 0 (none)
    for (let x = 0; x < width; x += 1) {
      const at = row + 1 + x * 3;
      const fromSun = sqrt((x - sun.x) ** 2 + (y - sun.y) ** 2);
      for (let i = 0; i < 3; i += 1) {
        let value: number;
        if (y < horizon) {
          const sky = mix(skyTop[i]!, horizonColour[i]!, y / horizon);
          const glow = max(0, 1 - fromSun / (sun.r * 4));
          value = fromSun < sun.r ? sunColour[i]! : mix(sky, sunColour[i]!, glow * 0.5);
        } else {
          const depth = (y - horizon) / (height - horizon);
          const ripple = sin(x / (7 + depth * 20) + y / 3) * 0.12 * (1 - depth);
          const sparkle = abs(x - sun.x) < sun.r * (1 - depth) && ripple > 0.05 ? 0.5 : 0;
          value = mix(water[i]!, sunColour[i]!, sparkle) * (1 + ripple - depth * 0.35);
        }
        raw[at + i] = min(255, max(0, value));
      }
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: stored ? 0 : 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function sha256(bytes: Buffer | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Degrees as EXIF's three rationals (degrees, minutes, seconds x 100). */
function dms(value: number): Buffer {
  const degrees = Math.floor(value);
  const minutes = Math.floor((value - degrees) * 60);
  const centiseconds = Math.round(((value - degrees) * 60 - minutes) * 60 * 100);
  const out = Buffer.alloc(24);
  [degrees, 1, minutes, 1, centiseconds, 100].forEach((n, i) => out.writeUInt32BE(n, i * 4));
  return out;
}

/**
 * `jpeg` with an EXIF segment holding a GPS position (north-east), inserted right after the start
 * marker, as a phone writes it: a big-endian TIFF with IFD0 pointing at a GPS IFD.
 */
export function withGpsExif(jpeg: Buffer, latitude: number, longitude: number): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const tiff = Buffer.alloc(128);
  tiff.write('MM', 0, 'ascii');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0
  tiff.writeUInt16BE(1, 8);
  // GPSInfo (0x8825), LONG, 1: the GPS IFD's offset.
  tiff.writeUInt16BE(0x8825, 10);
  tiff.writeUInt16BE(4, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt32BE(26, 18);
  tiff.writeUInt32BE(0, 22);
  tiff.writeUInt16BE(4, 26);
  const entry = (index: number, tag: number, type: number, count: number, value: Buffer | number) => {
    const at = 28 + index * 12;
    tiff.writeUInt16BE(tag, at);
    tiff.writeUInt16BE(type, at + 2);
    tiff.writeUInt32BE(count, at + 4);
    if (typeof value === 'number') tiff.writeUInt32BE(value, at + 8);
    else value.copy(tiff, at + 8);
  };
  entry(0, 0x0001, 2, 2, Buffer.from('N\0\0\0', 'latin1'));
  entry(1, 0x0002, 5, 3, 80);
  entry(2, 0x0003, 2, 2, Buffer.from('E\0\0\0', 'latin1'));
  entry(3, 0x0004, 5, 3, 104);
  tiff.writeUInt32BE(0, 76);
  dms(latitude).copy(tiff, 80);
  dms(longitude).copy(tiff, 104);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const marker = Buffer.from([0xff, 0xe1, 0, 0]);
  marker.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), marker, body, jpeg.subarray(2)]);
}

/** The chunk ids of a WebP file (RIFF), in order; throws for anything that is not one. */
export function webpChunks(file: Buffer): string[] {
  if (file.toString('latin1', 0, 4) !== 'RIFF' || file.toString('latin1', 8, 12) !== 'WEBP')
    throw new Error('not a WebP file');
  const ids: string[] = [];
  for (let at = 12; at + 8 <= file.length;) {
    const size = file.readUInt32LE(at + 4);
    ids.push(file.toString('latin1', at, at + 4));
    at += 8 + size + (size % 2);
  }
  return ids;
}
