// S3's `sequencer` orders the events of one key. AWS: the values may differ in length; pad the
// shorter with zeros on the left, then compare as strings. Stored padded, DynamoDB's string
// comparison in a condition expression then orders them the same way.

const WIDTH = 32;

export function normalizeSequencer(sequencer: string): string {
  if (!/^[0-9A-Fa-f]{1,32}$/.test(sequencer)) {
    throw new Error(`Malformed S3 sequencer ${JSON.stringify(sequencer)}: expected 1-32 hex digits`);
  }
  return sequencer.toUpperCase().padStart(WIDTH, '0');
}

/** The short form used in rendition keys. */
export function versionOf(normalized: string): string {
  return normalized.replace(/^0+(?=.)/, '');
}
