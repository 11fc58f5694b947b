// Turns untrusted bytes into renditions, or into a reason a person understands. No metadata
// survives: renditions are encoded from raw pixels, which carry none.
import sharp from 'sharp';
import { formatBytes, RENDITION_SIZES, UPLOAD_LIMITS, WEBP_QUALITY } from '../../lib/records/limits';
import { sniffFormat } from './sniff';

export interface RenditionOutput {
  /** The box size it was made for (one of RENDITION_SIZES). */
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly body: Buffer;
}

export interface Timings {
  /** Decode, auto-orient, convert to sRGB and shrink to the largest rendition. */
  decodeMs: number;
  resizeMs: number;
  encodeMs: number;
}

export type ProcessResult =
  | {
      readonly status: 'READY';
      readonly width: number;
      readonly height: number;
      readonly renditions: readonly RenditionOutput[];
      /** The dominant colour, `#rrggbb`, shown while a rendition loads. */
      readonly placeholder: string;
      readonly timings: Timings;
    }
  | { readonly status: 'REJECTED'; readonly reason: string };

const reject = (reason: string): ProcessResult => ({ status: 'REJECTED', reason });

/** Refuses by size alone, before the bytes are fetched. */
export function sizeProblem(bytes: number): string | undefined {
  if (bytes === 0) return 'The file is empty.';
  if (bytes > UPLOAD_LIMITS.maxBytes) {
    return `The file is ${formatBytes(bytes)}; the limit is ${formatBytes(UPLOAD_LIMITS.maxBytes)}.`;
  }
  return undefined;
}

export async function processImage(bytes: Buffer): Promise<ProcessResult> {
  const tooBig = sizeProblem(bytes.length);
  if (tooBig) return reject(tooBig);
  const sniffed = sniffFormat(bytes);
  if ('refused' in sniffed) return reject(sniffed.refused);

  // The header alone: a PNG declaring 900 MP is refused here without one pixel decoded.
  let header: sharp.Metadata;
  try {
    header = await sharp(bytes, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch {
    return reject(DAMAGED);
  }
  const sharpFormat = sniffed.format === 'avif' ? 'heif' : sniffed.format;
  if (header.format !== sharpFormat || (sniffed.format === 'avif' && header.compression !== 'av1')) {
    return reject(DAMAGED);
  }
  const pixels = header.width * header.height;
  if (pixels > UPLOAD_LIMITS.maxPixels) {
    return reject(
      `The image is ${header.width} × ${header.height} pixels (${megapixels(pixels)} megapixels); the limit is ${megapixels(UPLOAD_LIMITS.maxPixels)} megapixels.`,
    );
  }

  const timings: Timings = { decodeMs: 0, resizeMs: 0, encodeMs: 0 };
  const largest = RENDITION_SIZES[RENDITION_SIZES.length - 1] as number;
  let base: { data: Buffer; info: sharp.OutputInfo };
  let started = performance.now();
  try {
    base = await sharp(bytes, {
      // Enforced again by libvips, in case a header lied about its size.
      limitInputPixels: UPLOAD_LIMITS.maxPixels,
      failOn: 'error',
      animated: false,
      autoOrient: true,
    })
      .resize(largest, largest, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch {
    return reject(DAMAGED);
  }
  timings.decodeMs = performance.now() - started;

  const { width, height, channels } = base.info;
  const raw = { width, height, channels };
  // The original's upright size, as the viewer sees it.
  const rotated = (header.orientation ?? 1) >= 5;
  const uprightWidth = rotated ? header.height : header.width;
  const uprightHeight = rotated ? header.width : header.height;

  const renditions: RenditionOutput[] = [];
  for (const size of renditionSizes(Math.max(uprightWidth, uprightHeight))) {
    const scale = Math.min(1, size / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    started = performance.now();
    const pixelsOut =
      w === width && h === height
        ? base.data
        : await sharp(base.data, { raw }).resize(w, h, { fit: 'fill' }).raw().toBuffer();
    timings.resizeMs += performance.now() - started;
    started = performance.now();
    const body = await sharp(pixelsOut, { raw: { width: w, height: h, channels } })
      .webp({ quality: WEBP_QUALITY, alphaQuality: 90, effort: 4 })
      .toBuffer();
    timings.encodeMs += performance.now() - started;
    renditions.push({ size, width: w, height: h, body });
  }

  const smallest = renditions[0] as RenditionOutput;
  const { dominant } = await sharp(smallest.body).stats();
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return {
    status: 'READY',
    width: uprightWidth,
    height: uprightHeight,
    renditions,
    placeholder: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}`,
    timings,
  };
}

const DAMAGED = 'The image file is damaged or incomplete, so it could not be read.';

/** Each size below the image's longest edge, then one at the image's own size, never larger. */
export function renditionSizes(longestEdge: number): number[] {
  const sizes: number[] = [];
  for (const size of RENDITION_SIZES) {
    sizes.push(size);
    if (size >= longestEdge) break;
  }
  return sizes;
}

function megapixels(pixels: number): string {
  return String(Math.round(pixels / 100_000) / 10);
}
