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
