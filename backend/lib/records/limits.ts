// Abuse limits IAM cannot express; the pipeline and the api function enforce them. Pure, so
// the web app can show the same numbers before an upload.

const MB = 1024 * 1024;

export const UPLOAD_LIMITS = {
  /** Largest original accepted (a 12 MP phone JPEG is 3-8 MB). */
  maxBytes: 15 * MB,
  /** Checked on the header, before any pixel is decoded. */
  maxPixels: 50_000_000,
  /** Per owner, counting every image that is not deleted (rejected ones included). */
  maxImagesPerUser: 1000,
  /** Per owner, the sum of the originals' sizes. */
  maxBytesPerUser: 2048 * MB,
} as const;

/**
 * Longest edge of each rendition, in pixels. A 1280-px-wide grid of 3-4 columns needs 320-427
 * CSS px cards, so 320 (1x) and 640 (2x); a detail view needs 1280 (1x) and 2048 (2x on a laptop,
 * capped: larger gains little on screens and costs bytes). Measured in docs/records.md.
 */
export const RENDITION_SIZES = [320, 640, 1280, 2048] as const;

/** WebP quality of every rendition (the benchmark's size/time trade-off). */
export const WEBP_QUALITY = 78;

export function formatBytes(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}
