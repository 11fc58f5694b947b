/**
 * S3 event notifications through the whole sandbox: real S3 requests (the AWS SDK), the bucket's
 * notification configuration, the function's resource policy, and a real function process that
 * prints what it receives.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { compareSequencers } from '../../src/services/s3/store';
import type { S3EventRecord } from '../../src/services/s3';
import { PLAIN, receivedEvents, startEventsSandbox, VERSIONED, type EventsSandbox } from './harness';

let stateDir: string;
let env: EventsSandbox;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-s3-events-'));
  env = await startEventsSandbox(stateDir);
});

afterAll(async () => {
  await env?.close();
  await rm(stateDir, { recursive: true, force: true });
});

/** Waits until the recorder has printed `count` more events than `before`, and returns those. */
async function nextEvents(before: number, count: number): Promise<S3EventRecord[]> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const events = receivedEvents(env.logger, 'recorder');
    if (events.length >= before + count) {
      // Nothing more may arrive: every delivery has ended.
      await env.sandbox.functions.drain();
      return receivedEvents(env.logger, 'recorder').slice(before);
    }
    await sleep(20);
  }
  throw new Error(`expected ${count} events, got ${receivedEvents(env.logger, 'recorder').length - before}`);
}

/** Functions run events concurrently, so they may arrive in any order: S3's sequencer restores it. */
const bySequencer = (events: S3EventRecord[]) =>
  [...events].sort((a, b) => compareSequencers(a.s3.object.sequencer, b.s3.object.sequencer));

const seen = () => receivedEvents(env.logger, 'recorder').length;

/** The outbox once the deliveries in flight have ended (an entry leaves it just after its invocation). */
async function outbox(): Promise<string[]> {
  let files: string[] = [];
  for (let waited = 0; waited < 5_000; waited += 20) {
    files = await readdir(join(stateDir, 's3-events', 'outbox'));
    if (files.length === 0) break;
    await sleep(20);
  }
  return files;
}

async function quiet(): Promise<void> {
  // Long enough for a wrongly sent event to be printed by the function.
  await sleep(300);
  await env.sandbox.functions.drain();
}

describe('deploy', () => {
  test('both ways of configuring notifications are read, and neither is listed as not emulated', () => {
    const plain = env.sandbox.model.buckets.get(PLAIN)!.notifications!;
    expect(plain[0]).toEqual({
      id: 'PlainBucket-1',
      events: ['s3:ObjectCreated:*'],
      prefix: 'in/',
      suffix: '.jpg',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:recorder',
    });
    const versioned = env.sandbox.model.buckets.get(VERSIONED)!.notifications!;
    expect(versioned.map((n) => [n.events, n.prefix, n.suffix])).toEqual([
      [['s3:ObjectCreated:*'], 'up/', ''],
      [['s3:ObjectRemoved:*'], 'up/', ''],
    ]);
    const types = env.sandbox.model.unsupported.map((u) => u.type);
    expect(types).not.toContain('Custom::S3BucketNotifications');
    expect(types.filter((t) => t.includes('NotificationConfiguration'))).toEqual([]);
  });
});

describe('the event', () => {
  test('a PUT sends the documented record, the key URL-encoded as S3 does', async () => {
    const before = seen();
    const key = 'in/My photo (1)+ü:x*~.jpg';
    const put = await env.s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: key, Body: 'hello' }));
    const [event] = await nextEvents(before, 1);
    expect(event).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.stringMatching(/^AWS:.+:CognitoIdentityCredentials$/) },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: {
        'x-amz-request-id': put.$metadata.requestId,
        'x-amz-id-2': put.$metadata.extendedRequestId,
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'PlainBucket-1',
        bucket: {
          name: PLAIN,
          ownerIdentity: { principalId: expect.stringMatching(/^A[0-9A-Z]{13}$/) },
          arn: `arn:aws:s3:::${PLAIN}`,
        },
        object: {
          key: 'in/My+photo+%281%29%2B%C3%BC%3Ax*%7E.jpg',
          size: 5,
          eTag: put.ETag!.replace(/"/g, ''),
          sequencer: expect.stringMatching(/^[0-9A-F]{18}$/),
        },
      },
    });
    // What the pipeline does with it gives the key back.
    expect(decodeURIComponent(event!.s3.object.key.replace(/\+/g, ' '))).toBe(key);
    expect(await outbox()).toEqual([]);
  });

  test('only matching configurations fire: prefix, suffix and event type', async () => {
    const before = seen();
    await env.s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'in/notes.txt', Body: 'x' }));
    await env.s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'elsewhere/a.jpg', Body: 'x' }));
    await env.s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'IN/a.jpg', Body: 'x' }));
    await quiet();
    expect(seen()).toBe(before);
    // The removal configuration has no suffix: deleting the .txt fires it.
    await env.s3.send(new DeleteObjectCommand({ Bucket: PLAIN, Key: 'in/notes.txt' }));
    const [removed] = await nextEvents(before, 1);
    expect(removed).toMatchObject({
      eventName: 'ObjectRemoved:Delete',
      s3: { configurationId: 'PlainBucket-2', object: { key: 'in/notes.txt' } },
    });
    expect(removed!.s3.object).not.toHaveProperty('size');
    expect(removed!.s3.object).not.toHaveProperty('eTag');
  });

  test('a function whose resource policy does not allow the bucket is not invoked, and it is logged', async () => {
    await env.s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'refused/a.jpg', Body: 'x' }));
    await quiet();
    const messages = env.logger.lines.map((l) => l.message);
    expect(messages.filter((m) => m.startsWith('[unpermitted]'))).toEqual([]);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^S3 event ObjectCreated:Put events-fixture-plain\/refused\/a\.jpg .* not delivered to arn:aws:lambda:us-east-1:000000000000:function:unpermitted: AccessDeniedException/,
      ),
    );
    expect(await outbox()).toEqual([]);
  });

  test("one key's events carry sequencers in the order of its changes", async () => {
    const before = seen();
    const etags: string[] = [];
    for (let i = 0; i < 3; i++) {
      const put = await env.s3.send(
        new PutObjectCommand({ Bucket: PLAIN, Key: 'in/order.jpg', Body: `version ${i}` }),
      );
      etags.push(put.ETag!.replace(/"/g, ''));
    }
    await env.s3.send(new DeleteObjectCommand({ Bucket: PLAIN, Key: 'in/order.jpg' }));
    const events = bySequencer(await nextEvents(before, 4));
    expect(events.map((e) => [e.eventName, e.s3.object.eTag])).toEqual([
      ['ObjectCreated:Put', etags[0]],
      ['ObjectCreated:Put', etags[1]],
      ['ObjectCreated:Put', etags[2]],
      ['ObjectRemoved:Delete', undefined],
    ]);
    // Distinct, so that no two changes of a key look like duplicates of one event.
    expect(new Set(events.map((e) => e.s3.object.sequencer)).size).toBe(4);
    // S3 compares sequencers of different lengths after left-padding the shorter with zeros.
    expect(compareSequencers('FF', '0100')).toBeLessThan(0);
  });
});

describe('the versioned bucket, configured by Custom::S3BucketNotifications', () => {
  test('copy, multipart completion and the two kinds of delete name their events', async () => {
    const before = seen();
    const put = await env.s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'up/a.jpg', Body: 'a' }));
    const copy = await env.s3.send(
      new CopyObjectCommand({ Bucket: VERSIONED, Key: 'up/b.jpg', CopySource: `${VERSIONED}/up/a.jpg` }),
    );
    const { UploadId } = await env.s3.send(
      new CreateMultipartUploadCommand({ Bucket: VERSIONED, Key: 'up/c.jpg' }),
    );
    const part1 = await env.s3.send(
      new UploadPartCommand({
        Bucket: VERSIONED,
        Key: 'up/c.jpg',
        UploadId,
        PartNumber: 1,
        Body: Buffer.alloc(5 * 1024 * 1024, 1),
      }),
    );
    const part2 = await env.s3.send(
      new UploadPartCommand({ Bucket: VERSIONED, Key: 'up/c.jpg', UploadId, PartNumber: 2, Body: 'end' }),
    );
    const completed = await env.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: VERSIONED,
        Key: 'up/c.jpg',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: part1.ETag },
            { PartNumber: 2, ETag: part2.ETag },
          ],
        },
      }),
    );
    await env.s3.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'up/a.jpg' }));
    await env.s3.send(
      new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'up/b.jpg', VersionId: copy.VersionId }),
    );
    // The sandbox's sequencers increase across keys too, so they give the order of the requests.
    const events = bySequencer(await nextEvents(before, 5));
    expect(events.map((e) => [e.eventName, e.s3.object.key])).toEqual([
      ['ObjectCreated:Put', 'up/a.jpg'],
      ['ObjectCreated:Copy', 'up/b.jpg'],
      ['ObjectCreated:CompleteMultipartUpload', 'up/c.jpg'],
      ['ObjectRemoved:DeleteMarkerCreated', 'up/a.jpg'],
      ['ObjectRemoved:Delete', 'up/b.jpg'],
    ]);
    expect(events[0]!.s3.object.versionId).toBe(put.VersionId);
    expect(events[1]!.s3.object.versionId).toBe(copy.VersionId);
    expect(events[2]!.s3.object).toMatchObject({
      size: 5 * 1024 * 1024 + 3,
      eTag: completed.ETag!.replace(/"/g, ''),
      versionId: completed.VersionId,
    });
    // A delete marker is a new version; deleting a version names it.
    expect(events[3]!.s3.object.versionId).toMatch(/\S/);
    expect(events[3]!.s3.object.versionId).not.toBe(put.VersionId);
    expect(events[4]!.s3.object.versionId).toBe(copy.VersionId);
    expect(events.every((e) => e.s3.configurationId.startsWith('VersionedBucketNotifications-'))).toBe(true);
  });

  test('a DeleteObjects batch sends one event per deleted key', async () => {
    const keys = ['up/d1.jpg', 'up/d2.jpg', 'up/d3.jpg'];
    const start = seen();
    for (const key of keys)
      await env.s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: key, Body: key }));
    await nextEvents(start, 3);
    const before = start + 3;
    await env.s3.send(
      new DeleteObjectsCommand({ Bucket: VERSIONED, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
    );
    const events = await nextEvents(before, 3);
    expect(events.map((e) => [e.eventName, e.s3.object.key]).sort()).toEqual(
      keys.map((k) => ['ObjectRemoved:DeleteMarkerCreated', k]),
    );
  });
});
