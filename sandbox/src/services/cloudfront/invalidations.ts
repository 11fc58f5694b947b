/**
 * The invalidations of every distribution: validated batches, CallerReference idempotency,
 * CloudFront's in-progress limits, and the record kept in the state folder (so GetInvalidation
 * and ListInvalidations survive a restart, as an AWS account's history does). Creating one clears
 * the matching entries of the edge cache at once; its status reads InProgress for a moment of the
 * sandbox's clock and Completed afterwards, the order a client polling on AWS sees.
 */
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/atomic-file';
import type { Clock } from '../../core/clock';
import { AwsError } from '../../core/errors';
import type { EdgeCache } from './cache';

/** How long an invalidation reads InProgress (the cache is already cleared when it is created). */
export const INVALIDATION_IN_PROGRESS_MS = 1000;
/** CloudFront's quotas: paths of file invalidations, and wildcard paths, in progress per distribution. */
export const MAX_PATHS_IN_PROGRESS = 3000;
export const MAX_WILDCARDS_IN_PROGRESS = 15;
const MAX_PATH_LENGTH = 4000;
const MAX_CALLER_REFERENCE_LENGTH = 128;

const record = z.object({
  id: z.string(),
  distributionId: z.string(),
  callerReference: z.string(),
  paths: z.array(z.string()),
  createTime: z.string(),
});
type InvalidationRecord = z.infer<typeof record>;

export interface Invalidation extends InvalidationRecord {
  readonly status: 'InProgress' | 'Completed';
}

export const cloudFrontErrors = {
  noSuchDistribution: () =>
    new AwsError('NoSuchDistribution', 'The specified distribution does not exist.', 404),
  noSuchInvalidation: () =>
    new AwsError('NoSuchInvalidation', 'The specified invalidation does not exist.', 404),
  invalidArgument: (message: string) => new AwsError('InvalidArgument', message, 400),
  inconsistentQuantities: () =>
    new AwsError(
      'InconsistentQuantities',
      'The value of Quantity and the size of Items don\u2019t match.',
      400,
    ),
  batchAlreadyExists: (id: string) =>
    new AwsError(
      'InvalidationBatchAlreadyExists',
      `The CallerReference you are using to create an invalidation batch has already been used for invalidation ${id} with different paths.`,
      409,
    ),
  batchTooLarge: () => new AwsError('BatchTooLarge', 'Invalidation batch specified is too large.', 413),
  tooManyInProgress: () =>
    new AwsError(
      'TooManyInvalidationsInProgress',
      `Processing your request would cause the maximum number of in-progress invalidations to be exceeded (${MAX_PATHS_IN_PROGRESS} paths, ${MAX_WILDCARDS_IN_PROGRESS} wildcard paths).`,
      400,
    ),
};

export class InvalidationStore {
  /** Writes run one after another, each with every record so far, so the last one holds them all. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly records: InvalidationRecord[],
    private readonly cache: EdgeCache,
    private readonly clock: Clock,
  ) {}

  static async open(stateDir: string, cache: EdgeCache, clock: Clock): Promise<InvalidationStore> {
    const file = join(stateDir, 'cloudfront', 'invalidations.json');
    let records: InvalidationRecord[] = [];
    try {
      records = z.array(record).parse(JSON.parse(await readFile(file, 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new InvalidationStore(file, records, cache, clock);
  }

  async create(
    distributionId: string,
    callerReference: string,
    paths: readonly string[],
  ): Promise<Invalidation> {
    if (callerReference === '' || callerReference.length > MAX_CALLER_REFERENCE_LENGTH)
      throw cloudFrontErrors.invalidArgument(
        `CallerReference must be 1 to ${MAX_CALLER_REFERENCE_LENGTH} characters.`,
      );
    if (paths.length === 0)
      throw cloudFrontErrors.invalidArgument('An invalidation needs at least one path.');
    if (paths.length > MAX_PATHS_IN_PROGRESS) throw cloudFrontErrors.batchTooLarge();
    for (const path of paths) checkPath(path);

    const same = this.records.find(
      (r) => r.distributionId === distributionId && r.callerReference === callerReference,
    );
    if (same) {
      if (sameBatch(same.paths, paths)) return this.view(same);
      throw cloudFrontErrors.batchAlreadyExists(same.id);
    }

    const inProgress = this.records.filter(
      (r) => r.distributionId === distributionId && this.view(r).status === 'InProgress',
    );
    const wildcards = (list: readonly string[]) => list.filter((p) => p.endsWith('*')).length;
    const files = (list: readonly string[]) => list.length - wildcards(list);
    if (
      inProgress.reduce((n, r) => n + files(r.paths), files(paths)) > MAX_PATHS_IN_PROGRESS ||
      inProgress.reduce((n, r) => n + wildcards(r.paths), wildcards(paths)) > MAX_WILDCARDS_IN_PROGRESS
    )
      throw cloudFrontErrors.tooManyInProgress();

    const created: InvalidationRecord = {
      id: newInvalidationId(),
      distributionId,
      callerReference,
      paths: [...paths],
      createTime: this.clock.now().toISOString(),
    };
    this.cache.invalidate(distributionId, paths.map(decodePath));
    this.records.push(created);
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => writeFileAtomic(this.file, JSON.stringify(this.records)));
    await this.writing;
    return this.view(created);
  }

  get(distributionId: string, id: string): Invalidation {
    const found = this.records.find((r) => r.distributionId === distributionId && r.id === id);
    if (!found) throw cloudFrontErrors.noSuchInvalidation();
    return this.view(found);
  }

  /** Newest first, as CloudFront lists them; `marker` is the id the previous page ended with. */
  list(
    distributionId: string,
    marker: string | undefined,
    maxItems: number,
  ): { items: Invalidation[]; nextMarker?: string } {
    const all = this.records
      .filter((r) => r.distributionId === distributionId)
      .reverse()
      .map((r) => this.view(r));
    const start = marker === undefined ? 0 : all.findIndex((r) => r.id === marker) + 1;
    const items = all.slice(start, start + maxItems);
    const truncated = start + maxItems < all.length;
    return { items, nextMarker: truncated ? items[items.length - 1]?.id : undefined };
  }

  private view(r: InvalidationRecord): Invalidation {
    const age = this.clock.now().getTime() - Date.parse(r.createTime);
    return { ...r, status: age < INVALIDATION_IN_PROGRESS_MS ? 'InProgress' : 'Completed' };
  }
}

/** A path starts with "/", has no control characters, and may hold `*` only as its last character. */
function checkPath(path: string): void {
  const invalid = (why: string) =>
    cloudFrontErrors.invalidArgument(`Your request contains one or more invalid invalidation paths: ${why}`);
  if (!path.startsWith('/')) throw invalid(`${JSON.stringify(path)} does not start with "/".`);
  if (path.length > MAX_PATH_LENGTH) throw invalid(`a path is longer than ${MAX_PATH_LENGTH} characters.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw invalid('a path contains a control character.');
  if (path.slice(0, -1).includes('*')) throw invalid(`${JSON.stringify(path)} has "*" before its end.`);
}

/** Paths may be sent URL-encoded; the cache names objects by their decoded path. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function sameBatch(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = [...b].sort();
  return [...a].sort().every((p, i) => p === sorted[i]);
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** CloudFront's shape: "I" and 13 upper-case letters and digits, e.g. I2J0I21PCUYOIK. */
function newInvalidationId(): string {
  let id = 'I';
  for (let i = 0; i < 13; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}
