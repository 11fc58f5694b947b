// Decides the format from the file's first bytes, before any decoder sees them: libvips would
// happily render an SVG (with librsvg) or a PDF, so only allow-listed signatures reach sharp.

export type AcceptedFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

export type Sniffed = { readonly format: AcceptedFormat } | { readonly refused: string };

const ACCEPTED_LIST = 'JPEG, PNG, WebP, AVIF or GIF';

export function sniffFormat(bytes: Uint8Array): Sniffed {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { format: 'jpeg' };
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return { format: 'png' };
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return { format: 'gif' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { format: 'webp' };
  if (ascii(4, 8) === 'ftyp') {
    const brands = isoBrands(bytes);
    if (brands.some((brand) => brand === 'avif' || brand === 'avis')) return { format: 'avif' };
    if (brands.some((brand) => HEIF_BRANDS.has(brand))) {
      return {
        refused:
          'HEIC photos are not accepted yet. On an iPhone choose Settings > Camera > Formats > Most Compatible, or export the photo as JPEG.',
      };
    }
  }
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) {
    return {
      refused: `SVG drawings are not accepted because they can carry scripts. Export it as PNG and upload that (we accept ${ACCEPTED_LIST}).`,
    };
  }
  if (head.startsWith('<')) {
    return { refused: `This file is a web page or other text, not an image (we accept ${ACCEPTED_LIST}).` };
  }
  return { refused: `This file is not in a format we accept (${ACCEPTED_LIST}).` };
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/** The major and compatible brands of an ISO BMFF `ftyp` box. */
function isoBrands(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.length >= 4 ? view.getUint32(0) : 0;
  const end = Math.min(size, bytes.length, 256);
  const brands: string[] = [];
  const at = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (end >= 12) brands.push(at(8));
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(at(offset));
  return brands;
}
