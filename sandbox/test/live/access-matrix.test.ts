/**
 * The storage access matrix (docs/security-model.md#storage-matrix; the contracts package's table, the
 * one the backend runs against the templates),
 * live: a guest, two signed-in users (A, B) and an admin, each with credentials from the identity
 * pool, send real S3 requests to the sandbox deployed from the real templates. Every cell is
 * decided by the sandbox's IAM evaluation of the templates' role policies and bucket policy. The
 * table's no-TLS cases are not run here: loopback plain HTTP counts as TLS in the sandbox, so the
 * template and authorizer tests prove those.
 */
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  ALSO_DENIED,
  fillTarget,
  MATRIX,
  type Op,
  S3_ACTIONS,
  type Who,
} from '@image-share/contracts/access-cases';
import { ADMINS_GROUP } from '@image-share/contracts/auth';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startLiveSandbox, type LiveSandbox, type Principal } from './harness';

type Outcome = 'allowed' | 'denied';

/** Who writes a target before a case reads or deletes it: a principal, or the pipeline function. */
type Writer = Who | 'pipeline';

let live: LiveSandbox;
let principals: Record<Who, Principal>;
/** Only the pipeline writes public/ and renditions/; its own role's credentials seed them here. */
let pipelineS3: S3Client;
let ids: Record<Who, string>;
/** Every refusal the tests saw: the request id S3 answered with, and what was refused to whom. */
const refusals: { requestId: string; who: Who; action: string }[] = [];

// Four sign-ups with SRP sign-in: Amplify's SRP client math runs far slower under jest than in
// plain Node, and minutes on a loaded machine.
beforeAll(async () => {
  live = await startLiveSandbox();
  principals = {
    guest: await live.guest(),
    A: await live.user('alice'),
    B: await live.user('bob'),
    admin: await live.user('ada', { groups: [ADMINS_GROUP.name] }),
  };
  pipelineS3 = await live.functionS3('Pipeline');
  ids = Object.fromEntries(Object.entries(principals).map(([who, p]) => [who, p.identityId])) as Record<
    Who,
    string
  >;
  // Every key a case reads exists, written by someone the table lets write it, so an allowed read
  // is a 200 and not a 404.
  const readTargets = new Set(
    [...MATRIX, ...ALSO_DENIED].filter(([, op]) => op === 'R').map(([, , target]) => target),
  );
  for (const target of readTargets) {
    const writer = writerOf(target);
    if (writer) await put(writer, fillTarget(target, ids));
  }
}, 600_000);

afterAll(async () => {
  await live?.close();
});

/**
 * Someone who may write `target`: the pipeline under public/ and renditions/, else a principal
 * the table lets write it, else the owner of the `<folder>/{X}/` it lies in.
 */
function writerOf(target: string): Writer | undefined {
  if (/^(public|renditions)\//.test(target)) return 'pipeline';
  const byTable = MATRIX.find(([, op, t, allowed]) => op === 'W' && t === target && allowed)?.[0];
  return byTable ?? (/^[^/{}]+\/\{(A|B|admin)\}\//.exec(target)?.[1] as Who | undefined);
}

const s3Of = (writer: Writer): S3Client => (writer === 'pipeline' ? pipelineS3 : principals[writer].s3);

/** Writes `key` as `writer`; returns the version id S3 gave it. */
async function put(writer: Writer, key: string): Promise<string | undefined> {
  const { VersionId } = await s3Of(writer).send(
    new PutObjectCommand({ Bucket: live.bucket, Key: key, Body: 'image bytes', ContentType: 'image/png' }),
  );
  return VersionId;
}

/** Sends one request; a 403 AccessDenied is a refusal (recorded), anything else but success fails the test. */
async function attempt(
  who: Who,
  action: string,
  send: () => Promise<unknown>,
  head = false,
): Promise<Outcome> {
  try {
    await send();
    return 'allowed';
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
    // HEAD answers carry no body, so the SDK cannot name the error; the status says it.
    if (e.$metadata?.httpStatusCode === 403 && (head || e.name === 'AccessDenied')) {
      refusals.push({ requestId: e.$metadata.requestId ?? '', who, action });
      return 'denied';
    }
    throw err;
  }
}

/** A fresh key in the folder of `key`: writes and deletes each stand alone. */
function freshKey(key: string, op: Op): string {
  const slash = key.lastIndexOf('/');
  return `${key.slice(0, slash + 1)}${op}-${Math.random().toString(36).slice(2)}-${key.slice(slash + 1)}`;
}

/** Runs one case as real S3 requests; R is both GetObject and HeadObject, and they must agree. */
async function run(who: Who, op: Op, target: string | undefined): Promise<Outcome> {
  const s3 = principals[who].s3;
  const Bucket = live.bucket;
  const filled = target === undefined ? undefined : fillTarget(target, ids);
  if (op === 'L') {
    return attempt(who, 's3:ListBucket', () =>
      s3.send(new ListObjectsV2Command({ Bucket, Prefix: filled, Delimiter: '/' })),
    );
  }
  const key = filled as string;
  const action = S3_ACTIONS[op];
  switch (op) {
    case 'R': {
      const get = await attempt(who, action, async () =>
        (await s3.send(new GetObjectCommand({ Bucket, Key: key }))).Body?.transformToString(),
      );
      const head = await attempt(
        who,
        action,
        () => s3.send(new HeadObjectCommand({ Bucket, Key: key })),
        true,
      );
      expect(head).toBe(get);
      return get;
    }
    case 'W':
      return attempt(who, action, () =>
        s3.send(
          new PutObjectCommand({ Bucket, Key: freshKey(key, op), Body: 'x', ContentType: 'image/png' }),
        ),
      );
    case 'D': {
      const fresh = freshKey(key, op);
      const writer = writerOf(target as string);
      if (writer) await put(writer, fresh);
      const outcome = await attempt(who, action, () =>
        s3.send(new DeleteObjectCommand({ Bucket, Key: fresh })),
      );
      // A refused delete leaves the object in place.
      if (writer && outcome === 'denied') {
        await s3Of(writer).send(new HeadObjectCommand({ Bucket, Key: fresh }));
      }
      return outcome;
    }
    case 'Tag':
      return attempt(who, action, () =>
        s3.send(new PutObjectCommand({ Bucket, Key: freshKey(key, op), Body: 'x', Tagging: 'reviewed=yes' })),
      );
    case 'Class':
      return attempt(who, action, () =>
        s3.send(
          new PutObjectCommand({ Bucket, Key: freshKey(key, op), Body: 'x', StorageClass: 'DEEP_ARCHIVE' }),
        ),
      );
    case 'RV':
    case 'DV': {
      const fresh = freshKey(key, op);
      const writer = writerOf(target as string);
      const VersionId = writer ? await put(writer, fresh) : undefined;
      if (VersionId === undefined) throw new Error(`nobody wrote a version of ${fresh} to try ${op} on`);
      const outcome = await attempt(who, action, () =>
        op === 'RV'
          ? s3.send(new GetObjectCommand({ Bucket, Key: fresh, VersionId }))
          : s3.send(new DeleteObjectCommand({ Bucket, Key: fresh, VersionId })),
      );
      // A refused version delete leaves that version in place.
      if (op === 'DV' && writer && outcome === 'denied') {
        await s3Of(writer).send(new HeadObjectCommand({ Bucket, Key: fresh }));
      }
      return outcome;
    }
    case 'Abort': {
      const fresh = freshKey(key, op);
      const writer = writerOf(target as string);
      // Without anyone who may start an upload there, an unknown upload id: authorization comes first.
      const uploadId = writer
        ? (await s3Of(writer).send(new CreateMultipartUploadCommand({ Bucket, Key: fresh }))).UploadId
        : 'no-such-upload';
      return attempt(who, action, () =>
        s3.send(new AbortMultipartUploadCommand({ Bucket, Key: fresh, UploadId: uploadId })),
      );
    }
  }
}

const expected = (allowed: boolean): Outcome => (allowed ? 'allowed' : 'denied');

describe('the storage access matrix, live against the sandbox', () => {
  test.each(MATRIX)('%s %s %s -> allowed: %s', async (who, op, target, allowed) => {
    await expect(run(who, op, target)).resolves.toBe(expected(allowed));
  });

  test.each(ALSO_DENIED)('also denied: %s %s %s', async (who, op, target) => {
    await expect(run(who, op, target)).resolves.toBe('denied');
  });

  test.each<Who>(['guest', 'A', 'admin'])('also denied: %s listing with no prefix', async (who) => {
    await expect(run(who, 'L', undefined)).resolves.toBe('denied');
  });
});

describe("the pipeline function's own role, outside its grants", () => {
  // It reads originals, writes and deletes renditions and published copies, and nothing else.
  const region = () => live.region;
  const endpoint = () => live.sandbox.endpoint;

  test('cannot write or delete an original, nor delete a version of a rendition', async () => {
    const original = fillTarget('protected/{A}/cat.png', ids);
    await expect(
      pipelineS3.send(new PutObjectCommand({ Bucket: live.bucket, Key: `${original}.forged`, Body: 'x' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      pipelineS3.send(new DeleteObjectCommand({ Bucket: live.bucket, Key: original })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    const rendition = fillTarget('renditions/protected/{A}/img/9/320.webp', ids);
    const VersionId = await put('pipeline', rendition);
    await expect(
      pipelineS3.send(new DeleteObjectCommand({ Bucket: live.bucket, Key: rendition, VersionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  test('cannot scan the table or invoke a function', async () => {
    const credentials = await live.functionCredentials('Pipeline');
    const db = new DynamoDBClient({ region: region(), endpoint: endpoint(), credentials, maxAttempts: 1 });
    const [table] = [...live.sandbox.model.tables.keys()];
    await expect(db.send(new ScanCommand({ TableName: table }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    db.destroy();
    const lambda = new LambdaClient({ region: region(), endpoint: endpoint(), credentials, maxAttempts: 1 });
    const [fn] = [...live.sandbox.model.functions.keys()].filter((name) => !name.includes('Pipeline'));
    await expect(lambda.send(new InvokeCommand({ FunctionName: fn, Payload: '{}' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    lambda.destroy();
  });
});

describe('refusals in the log', () => {
  test('every refusal was logged with the action and principal', () => {
    expect(refusals.length).toBeGreaterThan(0);
    const roleOf: Record<Who, string> = roleArns();
    const unlogged = refusals.filter(({ requestId, who, action }) => {
      const line = live.logger.lines.find(
        (l) => l.message === 'AccessDenied' && l.fields?.requestId === requestId,
      );
      const principal = String(line?.fields?.principal);
      return (
        line === undefined ||
        line.fields?.action !== action ||
        !principal.startsWith(assumedRolePrefix(roleOf[who]))
      );
    });
    expect(unlogged).toEqual([]);
  });
});

/** The role each principal's credentials are for, from the deployed model. */
function roleArns(): Record<Who, string> {
  const model = live.sandbox.model;
  const [pool] = [...model.identityPools.values()];
  const [userPool] = [...model.userPools.values()];
  const admin = userPool?.groups.get(ADMINS_GROUP.name)?.roleArn;
  if (!pool?.roles.authenticated || !pool.roles.unauthenticated || !admin) {
    throw new Error('the deployed model has no guest, signed-in or admin role');
  }
  return {
    guest: pool.roles.unauthenticated,
    A: pool.roles.authenticated,
    B: pool.roles.authenticated,
    admin,
  };
}

/** `arn:aws:iam::<account>:role/<name>` as the session principal it becomes: `arn:aws:sts::<account>:assumed-role/<name>/`. */
function assumedRolePrefix(roleArn: string): string {
  const [, partition, , , account, resource] = roleArn.split(':');
  return `arn:${partition}:sts::${account}:assumed-role/${resource
    ?.replace(/^role\//, '')
    .split('/')
    .pop()}/`;
}
