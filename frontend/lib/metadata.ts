// S3 user metadata travels as HTTP headers, which only carry ASCII; names can be anything, so
// they are stored percent-encoded and decoded on the way out.
const DISPLAY_NAME_KEY = 'display-name';
export const DISPLAY_NAME_MAX = 60;

export function normaliseDisplayName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().slice(0, DISPLAY_NAME_MAX);
}

export function encodeDisplayName(name: string): Record<string, string> {
  const normalised = normaliseDisplayName(name);
  return normalised ? { [DISPLAY_NAME_KEY]: encodeURIComponent(normalised) } : {};
}
