/**
 * The parts of SigV4 verification every service shares: reading `x-amz-date`, comparing secrets in
 * constant time, and recomputing a header signature with @smithy/signature-v4 over exactly the
 * headers the client named as signed. Each service keeps its own error vocabulary and order of
 * checks (S3 answers in XML with its own codes, DynamoDB in JSON with coral's).
 */
import { timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import type { SignatureV4 } from '@smithy/signature-v4';

export const Sha256 = Hash.bind(null, 'sha256');

/** `yyyymmddThhmmssZ` as a Date, or undefined when it is not one. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface HeaderSigningInput {
  readonly method: string;
  readonly host: string;
  readonly rawPath: string;
  readonly query: Record<string, string | string[]>;
  /** The values of the headers the client signed (`host` included), plus any unsigned extras. */
  readonly headers: Record<string, string>;
  readonly signedHeaders: readonly string[];
  readonly signingDate: Date;
}

/** The hex signature the client should have sent in its Authorization header. */
export async function expectedHeaderSignature(
  signer: SignatureV4,
  input: HeaderSigningInput,
): Promise<string> {
  const signed = await signer.sign(
    {
      method: input.method,
      protocol: 'https:',
      hostname: input.host,
      path: input.rawPath,
      query: input.query,
      headers: input.headers,
    },
    {
      signingDate: input.signingDate,
      signableHeaders: new Set(input.signedHeaders),
      unsignableHeaders: new Set(Object.keys(input.headers).filter((h) => !input.signedHeaders.includes(h))),
    },
  );
  return /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
}
