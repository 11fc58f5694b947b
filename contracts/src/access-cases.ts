// The storage access matrix (docs/security-model.md#storage-matrix), cell by cell: who may do what where. One table, run three ways: the backend
// evaluates it against the synthesized templates, the sandbox's authorizer against the deployed
// model, and the live sandbox with real S3 requests. Written by hand, not derived from the access
// rules, so that it can catch a wrong rule. `{A}` in a target is user A's identity id, etc.

/** The guest, two signed-in users, and a member of the admins group. */
export type Who = 'guest' | 'A' | 'B' | 'admin';

/**
 * R = GetObject/HeadObject, W = PutObject (multipart parts too), D = DeleteObject, L = ListBucket,
 * Abort = AbortMultipartUpload; and the uploads and reads version 2 refuses to users:
 * Tag = PutObject carrying object tags (`x-amz-tagging`), Class = PutObject into DEEP_ARCHIVE,
 * RV = GetObject of a version (`versionId`), DV = DeleteObject of a version.
 */
export type Op = 'R' | 'W' | 'D' | 'L' | 'Abort' | 'Tag' | 'Class' | 'RV' | 'DV';

export const S3_ACTIONS: Record<Exclude<Op, 'L'>, string> = {
  R: 's3:GetObject',
  W: 's3:PutObject',
  D: 's3:DeleteObject',
  Abort: 's3:AbortMultipartUpload',
  Tag: 's3:PutObject',
  Class: 's3:PutObject',
  RV: 's3:GetObjectVersion',
  DV: 's3:DeleteObjectVersion',
};

/** The request's condition keys that make an op what it is (beyond its action). */
export const OP_CONDITION_KEYS: Partial<Record<Op, Readonly<Record<string, string | readonly string[]>>>> = {
  Tag: { 's3:RequestObjectTagKeys': ['reviewed'] },
  Class: { 's3:x-amz-storage-class': 'DEEP_ARCHIVE' },
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
  // guest: public/ R L, no W D; nothing under protected/ or private/, no renditions
  ...cell('guest', 'public/{A}/img/1/640.webp', ['R', 'L']),
  ...yes('guest', 'public/', ['L']),
  ...cell('guest', 'protected/{A}/cat.png', []),
  ...no('guest', 'protected/', ['L']),
  ...cell('guest', 'private/{A}/cat.png', []),
  ...cell('guest', 'renditions/protected/{A}/img/1/640.webp', []),
  // signed-in A on own <idA>/: public/ is read-only (only the pipeline publishes); R W D L on originals
  ...cell('A', 'public/{A}/img/1/640.webp', ['R', 'L']),
  ...cell('A', 'protected/{A}/cat.png', ['R', 'W', 'D', 'L']),
  ...cell('A', 'private/{A}/cat.png', ['R', 'W', 'D', 'L']),
  ...cell('B', 'private/{B}/dog.png', ['R', 'W', 'D', 'L']),
  // A reads own renditions, protected and private, and writes none (only the pipeline does)
  ...cell('A', 'renditions/protected/{A}/img/1/640.webp', ['R']),
  ...cell('A', 'renditions/private/{A}/img/1/640.webp', ['R']),
  // signed-in A on B's <idB>/: R L in public/; B's originals never, B's protected renditions only
  ...cell('A', 'public/{B}/img/1/640.webp', ['R', 'L']),
  ...cell('A', 'protected/{B}/dog.png', []),
  ...cell('A', 'private/{B}/dog.png', []),
  ...cell('B', 'private/{A}/cat.png', []),
  ...cell('A', 'renditions/protected/{B}/img/1/640.webp', ['R']),
  ...cell('A', 'renditions/private/{B}/img/1/640.webp', []),
  // admins: a signed-in user everywhere (moderation goes through the data API)
  ...cell('admin', 'public/{B}/img/1/640.webp', ['R', 'L']),
  ...cell('admin', 'public/banner.png', ['R', 'L']),
  ...cell('admin', 'protected/{B}/dog.png', []),
  ...cell('admin', 'protected/{admin}/mod.png', ['R', 'W', 'D', 'L']),
  ...cell('admin', 'private/{admin}/mod.png', ['R', 'W', 'D', 'L']),
  ...cell('admin', 'private/{B}/dog.png', []),
  ...cell('admin', 'renditions/protected/{B}/img/1/640.webp', ['R']),
  ...cell('admin', 'renditions/private/{admin}/img/1/640.webp', ['R']),
  ...cell('admin', 'renditions/private/{B}/img/1/640.webp', []),
];

export const ALSO_DENIED: Case[] = [
  // ListBucket with no prefix is its own case below; these prefixes escape the rules.
  ...no('A', 'private/', ['L']),
  ...no('A', 'private/{B}/', ['L']),
  ...no('A', 'protected/', ['L']),
  ...no('A', 'protected/{B}/', ['L']),
  ...no('A', 'renditions/', ['L']),
  ...no('A', 'renditions/protected/', ['L']),
  ...no('A', '', ['L']),
  ...no('guest', 'private/{guest}/', ['L']),
  ...no('admin', 'private/', ['L']),
  // A writes only into <folder>/<idA>/..., never straight into a top folder.
  ...no('A', 'public/cat.png', ['W', 'D']),
  ...no('A', 'protected/cat.png', ['W', 'D']),
  ...no('A', 'private/cat.png', ['R', 'W', 'D']),
  ...no('A', 'renditions/protected/{A}/forged.webp', ['W', 'D']),
  // The trailing slash in every rule: <idA>x is someone else's folder.
  ...no('A', 'private/{A}x/cat.png', ['R', 'W', 'D']),
  ...no('A', 'protected/{A}x/cat.png', ['R', 'W', 'D']),
  ...no('A', 'renditions/private/{A}x/img/1/640.webp', ['R']),
  ...no('A', 'private/{A}x/', ['L']),
  // Folders that only share a prefix with public/ or renditions/protected/.
  ...no('guest', 'publicity/cat.png', ['R']),
  ...no('guest', 'publicity/', ['L']),
  ...no('A', 'renditions/protectedx/{B}/img/1/640.webp', ['R']),
  // Nothing outside the folders.
  ...no('A', 'cat.png', ['R', 'W', 'D']),
  ...no('admin', 'cat.png', ['R', 'W', 'D']),
  // Uploads carry no tags and stay in STANDARD; no reads or deletes by version id, even of
  // one's own objects (a replaced original's old bytes stay out of reach).
  ...no('A', 'protected/{A}/cat.png', ['Tag', 'Class', 'RV', 'DV']),
  ...no('A', 'private/{A}/cat.png', ['Tag', 'Class', 'RV', 'DV']),
  ...no('admin', 'protected/{admin}/mod.png', ['Tag', 'Class', 'RV', 'DV']),
  ...no('guest', 'public/{A}/img/1/640.webp', ['RV']),
  ...no('A', 'public/{A}/img/1/640.webp', ['RV', 'DV']),
];

/** Requests that the bucket policy's aws:SecureTransport deny refuses without TLS, whoever asks. */
export const NO_TLS: [Who, Op, string][] = [
  ['guest', 'R', 'public/{A}/img/1/640.webp'],
  ['guest', 'L', 'public/'],
  ['A', 'R', 'private/{A}/cat.png'],
  ['A', 'W', 'protected/{A}/cat.png'],
  ['admin', 'R', 'public/{B}/img/1/640.webp'],
  ['A', 'R', 'renditions/protected/{B}/img/1/640.webp'],
];
