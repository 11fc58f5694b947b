/**
 * The server half of Cognito's SRP-6a variant (see docs/sandbox.md#srp-cognitos-variant). Every hash is
 * over the bytes of concatenated `padHex` strings, exactly as the Amplify and AWS SDK clients do.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The 3072-bit MODP prime of RFC 5054 (appendix A), the group Cognito uses. */
export const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const g = 2n;

/** Even-length hex of a non-negative integer, with "00" prepended when the top bit is set (Java's toByteArray). */
export function padHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

function hashHex(hex: string): Buffer {
  return sha256(Buffer.from(hex, 'hex'));
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

/**
 * Modular exponentiation by square-and-multiply. Written by hand because Node's crypto has no
 * modPow or SRP primitive (DiffieHellman.computeSecret validates its input as a DH public key,
 * which the SRP values are not), and BigInt alone is exact for these sizes.
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    e >>= 1n;
    b = (b * b) % modulus;
  }
  return result;
}

const k = toBigInt(hashHex(padHex(N) + padHex(g)));

/** The part of the user pool id after "_", which Cognito mixes into x and the signature. */
export function poolNameOf(userPoolId: string): string {
  const name = userPoolId.split('_')[1];
  if (!name) throw new Error(`User pool id ${userPoolId} is not of the form <region>_<id>`);
  return name;
}

/** x = H(padHex(salt) || H(poolName || userId || ":" || password)). */
function privateKeyX(saltHex: string, poolName: string, userIdForSrp: string, password: string): bigint {
  const inner = sha256(Buffer.from(`${poolName}${userIdForSrp}:${password}`, 'utf8')).toString('hex');
  return toBigInt(hashHex(padHex(BigInt(`0x${saltHex}`)) + inner));
}

export interface Verifier {
  /** Hex, as sent in ChallengeParameters.SALT. */
  readonly salt: string;
  /** Hex of v = g^x mod N. */
  readonly verifier: string;
}

/** What the user pool stores instead of a password. */
export function createVerifier(poolName: string, userIdForSrp: string, password: string): Verifier {
  const salt = randomBytes(16).toString('hex');
  return { salt, verifier: verifierFor(salt, poolName, userIdForSrp, password) };
}

function verifierFor(saltHex: string, poolName: string, userIdForSrp: string, password: string): string {
  return modPow(g, privateKeyX(saltHex, poolName, userIdForSrp, password), N).toString(16);
}

/** Constant-time check of a password against a stored verifier (USER_PASSWORD_AUTH, ChangePassword). */
export function passwordMatches(
  stored: Verifier,
  poolName: string,
  userIdForSrp: string,
  password: string,
): boolean {
  const candidate = Buffer.from(
    padHex(BigInt(`0x${verifierFor(stored.salt, poolName, userIdForSrp, password)}`)),
    'hex',
  );
  const expected = Buffer.from(padHex(BigInt(`0x${stored.verifier}`)), 'hex');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

export interface ServerEphemeral {
  /** Hex of the secret b; kept server-side only for the challenge's lifetime. */
  readonly b: string;
  /** Hex of B = (k*v + g^b) mod N, sent as SRP_B. */
  readonly B: string;
}

export function serverEphemeral(verifierHex: string): ServerEphemeral {
  const v = BigInt(`0x${verifierHex}`);
  for (;;) {
    // 256 random bits, the minimum RFC 5054 recommends for the private exponent.
    const b = toBigInt(randomBytes(32));
    const B = (k * v + modPow(g, b, N)) % N;
    if (b !== 0n && B !== 0n) return { b: b.toString(16), B: B.toString(16) };
  }
}

/** Parses SRP_A; undefined when it is not hex or A mod N = 0 (which would let a client skip the password). */
export function parseClientPublic(srpA: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,2048}$/.test(srpA)) return undefined;
  const A = BigInt(`0x${srpA}`);
  return A % N === 0n ? undefined : A;
}

/** K: the 16-byte session key both sides derive from S and u ("Caldera Derived Key"). */
export function sessionKey(A: bigint, ephemeral: ServerEphemeral, verifierHex: string): Buffer | undefined {
  const B = BigInt(`0x${ephemeral.B}`);
  const u = toBigInt(hashHex(padHex(A) + padHex(B)));
  if (u === 0n) return undefined;
  const v = BigInt(`0x${verifierHex}`);
  const S = modPow((A * modPow(v, u, N)) % N, BigInt(`0x${ephemeral.b}`), N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  const info = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
  return createHmac('sha256', prk).update(info).digest().subarray(0, 16);
}

/** base64(HMAC-SHA256(K, poolName || userIdForSrp || secretBlock || timestamp)). */
export function passwordClaimSignature(
  key: Buffer,
  poolName: string,
  userIdForSrp: string,
  secretBlock: Buffer,
  timestamp: string,
): Buffer {
  return createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(poolName, 'utf8'),
        Buffer.from(userIdForSrp, 'utf8'),
        secretBlock,
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest();
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIMESTAMP =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) UTC (\d{4})$/;

/**
 * Parses the client's TIMESTAMP (`ddd MMM D HH:mm:ss UTC YYYY`, day not zero-padded). Returns
 * undefined when the text is malformed or names a date that does not exist (wrong weekday included).
 */
export function parseSrpTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, weekday, month, day, hh, mm, ss, year] = m as unknown as string[];
  const date = new Date(
    Date.UTC(Number(year), MONTHS.indexOf(month!), Number(day), Number(hh), Number(mm), Number(ss)),
  );
  if (date.getUTCDate() !== Number(day) || WEEKDAYS[date.getUTCDay()] !== weekday) return undefined;
  return date;
}

export function formatSrpTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}
