// The storage access matrix (docs/security-model.md#storage-matrix), cell by cell: who may do what where. One table, run three ways: the backend
// evaluates it against the synthesized templates, the sandbox's authorizer against the deployed
// model, and the live sandbox with real S3 requests. Written by hand, not derived from the access
// rules, so that it can catch a wrong rule. `{A}` in a target is user A's identity id, etc.

/** The guest, two signed-in users, and a member of the admins group. */
export type Who = 'guest' | 'A' | 'B' | 'admin';

/** R = GetObject/HeadObject, W = PutObject (multipart parts too), D = DeleteObject, L = ListBucket, Abort = AbortMultipartUpload. */
export type Op = 'R' | 'W' | 'D' | 'L' | 'Abort';

export const S3_ACTIONS: Record<Exclude<Op, 'L'>, string> = {
  R: 's3:GetObject',
  W: 's3:PutObject',
  D: 's3:DeleteObject',
  Abort: 's3:AbortMultipartUpload',
};

/** Puts each principal's identity id in place of `{A}`, `{B}`, `{admin}`, `{guest}`. */
export function fillTarget(target: string, ids: Readonly<Record<Who, string>>): string {
  return target.replace(/\{(A|B|admin|guest)\}/g, (_, who: Who) => ids[who]);
}

// [principal, operation, key (or list prefix), allowed?]: the matrix, cell by cell.
export type Case = [Who, Op, string, boolean];
const yes = (who: Who, target: string, ops: Op[]): Case[] => ops.map((op) => [who, op, target, true]);
const no = (who: Who, target: string, ops: Op[]): Case[] => ops.map((op) => [who, op, target, false]);
const folder = (target: string) => target.slice(0, target.lastIndexOf('/') + 1);
/** R W D on a key, L on its folder, and Abort (a multipart upload of the key), which follows W. */
const cell = (who: Who, key: string, allowed: Op[]): Case[] =>
  (['R', 'W', 'D', 'L', 'Abort'] as Op[]).map((op) => [
    who,
    op,
    op === 'L' ? folder(key) : key,
    allowed.includes(op === 'Abort' ? 'W' : op),
  ]);

export const MATRIX: Case[] = [
  // guest: public/ R L yes, W D no; nothing under protected/ or private/
  ...cell('guest', 'public/{A}/cat.png', ['R', 'L']),
  ...yes('guest', 'public/', ['L']),
  ...cell('guest', 'protected/{A}/cat.png', []),
  ...no('guest', 'protected/', ['L']),
  ...cell('guest', 'private/{A}/cat.png', []),
  // signed-in A on own <idA>/: R W D L everywhere
  ...cell('A', 'public/{A}/cat.png', ['R', 'W', 'D', 'L']),
  ...cell('A', 'protected/{A}/cat.png', ['R', 'W', 'D', 'L']),
  ...cell('A', 'private/{A}/cat.png', ['R', 'W', 'D', 'L']),
  ...cell('B', 'private/{B}/dog.png', ['R', 'W', 'D', 'L']),
  // signed-in A on B's <idB>/: R L only in public/ and protected/, nothing in private/
  ...cell('A', 'public/{B}/dog.png', ['R', 'L']),
  ...cell('A', 'protected/{B}/dog.png', ['R', 'L']),
  ...cell('A', 'private/{B}/dog.png', []),
  ...cell('B', 'private/{A}/cat.png', []),
  // admins: R W D L on any public/; a signed-in user elsewhere
  ...cell('admin', 'public/{B}/dog.png', ['R', 'W', 'D', 'L']),
  ...cell('admin', 'public/banner.png', ['R', 'W', 'D', 'L']),
  ...cell('admin', 'protected/{B}/dog.png', ['R', 'L']),
  ...cell('admin', 'protected/{admin}/mod.png', ['R', 'W', 'D', 'L']),
  ...cell('admin', 'private/{admin}/mod.png', ['R', 'W', 'D', 'L']),
  ...cell('admin', 'private/{B}/dog.png', []),
];

export const ALSO_DENIED: Case[] = [
  // ListBucket with no prefix is its own case below; these prefixes escape the rules.
  ...no('A', 'private/', ['L']),
  ...no('A', 'private/{B}/', ['L']),
  ...no('A', '', ['L']),
  ...no('guest', 'private/{guest}/', ['L']),
  ...no('admin', 'private/', ['L']),
  // A writes only into <folder>/<idA>/..., never straight into a top folder.
  ...no('A', 'public/cat.png', ['W', 'D']),
  ...no('A', 'protected/cat.png', ['W', 'D']),
  ...no('A', 'private/cat.png', ['R', 'W', 'D']),
  // The trailing slash in every rule: <idA>x is someone else's folder.
  ...no('A', 'private/{A}x/cat.png', ['R', 'W', 'D']),
  ...no('A', 'public/{A}x/cat.png', ['W', 'D']),
  ...no('A', 'protected/{A}x/cat.png', ['W', 'D']),
  ...no('A', 'private/{A}x/', ['L']),
  // Folders that only share a prefix with public/.
  ...no('guest', 'publicity/cat.png', ['R']),
  ...no('guest', 'publicity/', ['L']),
  // Nothing outside the three folders.
  ...no('A', 'cat.png', ['R', 'W', 'D']),
  ...no('admin', 'cat.png', ['R', 'W', 'D']),
];

/** Requests that the bucket policy's aws:SecureTransport deny refuses without TLS, whoever asks. */
export const NO_TLS: [Who, Op, string][] = [
  ['guest', 'R', 'public/{A}/cat.png'],
  ['guest', 'L', 'public/'],
  ['A', 'R', 'private/{A}/cat.png'],
  ['A', 'W', 'protected/{A}/cat.png'],
  ['admin', 'D', 'public/{B}/dog.png'],
];
