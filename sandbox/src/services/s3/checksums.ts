import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** The x-amz-checksum-* algorithms S3 verifies on upload (CRC64NVME is answered with 501, see body.ts). */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256';

export const CHECKSUM_HEADERS: Readonly<Record<ChecksumAlgorithm, string>> = {
  CRC32: 'x-amz-checksum-crc32',
  CRC32C: 'x-amz-checksum-crc32c',
  SHA1: 'x-amz-checksum-sha1',
  SHA256: 'x-amz-checksum-sha256',
};

export function checksumAlgorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  for (const [algorithm, header] of Object.entries(CHECKSUM_HEADERS)) {
    if (header === name.toLowerCase()) return algorithm as ChecksumAlgorithm;
  }
  return undefined;
}

export interface IncrementalChecksum {
  update(chunk: Buffer): void;
  /** Base64 of the big-endian digest, the encoding of the x-amz-checksum-* headers. */
  digestBase64(): string;
}

export function createChecksum(algorithm: ChecksumAlgorithm): IncrementalChecksum {
  switch (algorithm) {
    case 'CRC32':
      return crcChecksum((chunk, previous) => crc32(chunk, previous));
    case 'CRC32C':
      return crcChecksum(crc32c);
    case 'SHA1':
      return hashChecksum(createHash('sha1'));
    case 'SHA256':
      return hashChecksum(createHash('sha256'));
  }
}

function crcChecksum(update: (chunk: Buffer, previous: number) => number): IncrementalChecksum {
  let value = 0;
  return {
    update: (chunk) => {
      value = update(chunk, value);
    },
    digestBase64: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out.toString('base64');
    },
  };
}

function hashChecksum(hash: Hash): IncrementalChecksum {
  return { update: (chunk) => hash.update(chunk), digestBase64: () => hash.digest('base64') };
}

// Node's zlib has CRC32 but not the Castagnoli polynomial, and no maintained dependency-free package
// is already installed for it, so CRC32C is the classic 256-entry table over the reflected 0x82F63B78.
const CRC32C_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

export function crc32c(chunk: Buffer, previous = 0): number {
  let crc = ~previous;
  for (let i = 0; i < chunk.length; i++) {
    crc = CRC32C_TABLE[(crc ^ chunk[i]!) & 0xff]! ^ (crc >>> 8);
  }
  return ~crc >>> 0;
}
