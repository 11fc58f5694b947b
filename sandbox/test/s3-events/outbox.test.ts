/**
 * The outbox at start: what a killed run left is checked against the objects on disk. An event is
 * sent again when its change was written, and dropped when the run died before writing it.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger';
import type { ChangeRequest } from '../../src/services/s3/store';
import { S3Store } from '../../src/services/s3/store';
import { S3EventNotifier, type EventInvoker } from '../../src/services/s3';
import { bucketSpec, testModel } from '../helpers/s3-test-server';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:consumer';
const model = testModel([
  bucketSpec({
    notifications: [
      {
        id: 'all',
        events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
        prefix: '',
        suffix: '',
        functionArn: FUNCTION_ARN,
      },
    ],
  }),
]);
const bucket = [...model.buckets.keys()][0]!;

function request(eventName: string): ChangeRequest {
  return {
    eventName,
    eventTime: new Date(),
    principalId: 'Anonymous',
    sourceIp: '127.0.0.1',
    requestId: 'r',
    hostId: 'h',
  };
}

/** Records what would be invoked; every invocation succeeds. */
function recordingInvoker(): EventInvoker & { readonly sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    invoke: async (_arn, event) => {
      const [record] = (event as { Records: Array<{ eventName: string; s3: { object: { key: string } } }> })
        .Records;
      sent.push(`${record!.eventName} ${record!.s3.object.key}`);
      return { requestId: 'x', settled: Promise.resolve('succeeded' as const) };
    },
  };
}

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-s3-outbox-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

async function open(): Promise<{ notifier: S3EventNotifier; store: S3Store }> {
  const notifier = await S3EventNotifier.open(model, stateDir, silentLogger, false);
  const store = await S3Store.open(stateDir, model.buckets.keys(), silentLogger, { events: notifier });
  await notifier.recover(store);
  return { notifier, store };
}

test('an event prepared for a change that was never written is dropped; a written one is sent again', async () => {
  const first = await open();
  const objects = first.store.bucket(bucket)!;
  // Written, but the run ends before any event is sent (the notifier was never started).
  await objects.commit(
    'written.jpg',
    await objects.stage(Readable.from([Buffer.from('a')])),
    {
      contentType: 'image/jpeg',
      userMetadata: {},
      etag: '"e"',
      lastModified: new Date().toISOString(),
      checksums: {},
    },
    undefined,
    request('ObjectCreated:Put'),
  );
  // Prepared and then killed before the write: the record on disk never gets this sequencer.
  await first.notifier.prepare(
    bucket,
    {
      kind: 'created',
      record: {
        key: 'never-written.jpg',
        size: 1,
        etag: '"f"',
        lastModified: new Date().toISOString(),
        checksums: {},
        segments: [],
        contentType: 'image/jpeg',
        userMetadata: {},
        sequencer: 'FFFFFFFFFFFFFFFFFF',
      },
    },
    request('ObjectCreated:Put'),
  );
  // A removal whose key is still there was not written either.
  await first.notifier.prepare(
    bucket,
    { kind: 'removed', key: 'written.jpg', sequencer: 'FFFFFFFFFFFFFFFFFE' },
    request('ObjectRemoved:Delete'),
  );
  expect(await readdir(join(stateDir, 's3-events', 'outbox'))).toHaveLength(3);

  const second = await open();
  const invoker = recordingInvoker();
  second.notifier.start(invoker);
  await second.notifier.drain();
  expect(invoker.sent).toEqual(['ObjectCreated:Put written.jpg']);
  expect(await readdir(join(stateDir, 's3-events', 'outbox'))).toEqual([]);
});

test('a removal that was written is sent again', async () => {
  const first = await open();
  const objects = first.store.bucket(bucket)!;
  await objects.commit('gone.jpg', await objects.stage(Readable.from([Buffer.from('a')])), {
    contentType: 'image/jpeg',
    userMetadata: {},
    etag: '"e"',
    lastModified: new Date().toISOString(),
    checksums: {},
  });
  await objects.delete('gone.jpg', request('ObjectRemoved:Delete'));

  const second = await open();
  const invoker = recordingInvoker();
  second.notifier.start(invoker);
  await second.notifier.drain();
  expect(invoker.sent).toEqual(['ObjectRemoved:Delete gone.jpg']);
});

test('an unreadable outbox file does not stop the start; it is logged and removed', async () => {
  await open();
  await writeFile(join(stateDir, 's3-events', 'outbox', '0001-0.json'), '{"bucket": ');
  const { notifier } = await open();
  notifier.start(recordingInvoker());
  expect(await readdir(join(stateDir, 's3-events', 'outbox'))).toEqual([]);
});
