/**
 * S3 event notifications: the bucket's Lambda configurations (deploy/build-model.ts reads them from
 * the bucket property and CDK's Custom::S3BucketNotifications) turned into asynchronous invokes
 * with S3 as the caller, so the function's resource policy decides, as on AWS.
 *
 * Delivery is at least once, like S3's. Each event is written to an outbox in the state folder
 * while the key is locked and before its change is written; it leaves the outbox when the
 * invocation succeeded or was dead-lettered (or was refused: S3 drops what it may not deliver).
 * At start, the outbox left by a killed sandbox is checked against the objects (an event whose
 * change never reached the disk is dropped) and sent again. Duplicates are possible; loss is not.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { BucketNotificationSpec, BucketSpec, DeployedModel } from '../../deploy/model';
import type { S3Caller } from '../../iam/authorizer';
import type { AsyncInvocationEnd } from '../lambda';
import {
  compareSequencers,
  type ChangeRequest,
  type ObjectChange,
  type ObjectEventSink,
  type PreparedEvents,
  type S3Store,
} from './store';
import { writeAtomic } from './store/disk';

/** What delivers the events: the Lambda service's asynchronous invoke. */
export interface EventInvoker {
  invoke(
    functionArn: string,
    event: unknown,
    options: { type: 'Event'; caller: S3Caller },
  ): Promise<{ readonly requestId: string; readonly settled: Promise<AsyncInvocationEnd> }>;
}

/** One record of the event S3 sends (the `Records` array holds one per delivery). */
export interface S3EventRecord {
  readonly eventVersion: '2.1';
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly userIdentity: { readonly principalId: string };
  readonly requestParameters: { readonly sourceIPAddress: string };
  readonly responseElements: { readonly 'x-amz-request-id': string; readonly 'x-amz-id-2': string };
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    readonly configurationId: string;
    readonly bucket: {
      readonly name: string;
      readonly ownerIdentity: { readonly principalId: string };
      readonly arn: string;
    };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly versionId?: string;
      readonly sequencer: string;
    };
  };
}

interface OutboxEntry {
  readonly bucket: string;
  readonly functionArn: string;
  readonly kind: ObjectChange['kind'];
  /** The raw key, to check the change against the store at start. */
  readonly key: string;
  readonly sequencer: string;
  readonly event: S3EventRecord;
}

const S3_SERVICE = 's3.amazonaws.com';

export class S3EventNotifier implements ObjectEventSink {
  private invoker: EventInvoker | undefined;
  /** Events committed before `start` (including the recovered ones), sent once it is called. */
  private waiting: Array<{ file: string; entry: OutboxEntry }> = [];
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private readonly model: DeployedModel,
    private readonly dir: string,
    private readonly logger: Logger,
    private readonly durable: boolean,
  ) {}

  static async open(
    model: DeployedModel,
    stateDir: string,
    logger: Logger,
    durable: boolean,
  ): Promise<S3EventNotifier> {
    const notifier = new S3EventNotifier(model, join(stateDir, 's3-events', 'outbox'), logger, durable);
    await mkdir(notifier.dir, { recursive: true });
    return notifier;
  }

  /**
   * Keeps the events a previous run left whose change is in `store`, to be sent again by `start`.
   * `store` must be as it was opened: nothing written since.
   */
  async recover(store: S3Store): Promise<void> {
    let kept = 0;
    for (const file of (await readdir(this.dir)).sort()) {
      const path = join(this.dir, file);
      if (!file.endsWith('.json')) {
        await rm(path, { force: true }); // a write the kill interrupted
        continue;
      }
      let entry: OutboxEntry;
      try {
        entry = JSON.parse(await readFile(path, 'utf8')) as OutboxEntry;
      } catch {
        // Only a hand-edited file can be unreadable (entries are renamed into place whole).
        this.logger.warn(`S3 events: ${path} is not an outbox entry; removed`);
        await rm(path, { force: true });
        continue;
      }
      if (this.committed(store, entry)) {
        this.waiting.push({ file, entry });
        kept++;
      } else await rm(path, { force: true });
    }
    if (kept > 0) this.logger.info(`S3 events: ${kept} not confirmed before the last stop, to be sent again`);
  }

  /** Starts delivering (once the functions can run): first what waited, then as changes commit. */
  start(invoker: EventInvoker): void {
    this.invoker = invoker;
    const waiting = this.waiting;
    this.waiting = [];
    for (const { file, entry } of waiting) this.deliver(file, entry);
  }

  /** Resolves when every event handed to the functions so far has left the outbox or been kept for the next start. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async prepare(
    bucketName: string,
    change: ObjectChange,
    request: ChangeRequest,
  ): Promise<PreparedEvents | undefined> {
    const bucket = this.model.buckets.get(bucketName);
    const key = change.kind === 'created' ? change.record.key : change.key;
    const configurations = (bucket?.notifications ?? []).filter((c) => matches(c, request.eventName, key));
    if (!bucket || configurations.length === 0) return undefined;
    const sequencer = change.kind === 'created' ? change.record.sequencer : change.sequencer;
    const written: Array<{ file: string; entry: OutboxEntry }> = [];
    try {
      for (const [index, configuration] of configurations.entries()) {
        const entry: OutboxEntry = {
          bucket: bucket.name,
          functionArn: configuration.functionArn,
          kind: change.kind,
          key,
          sequencer,
          event: eventRecord(this.model, bucket, configuration, change, request),
        };
        const file = `${sequencer}-${index}.json`;
        await writeAtomic(this.dir, file, JSON.stringify(entry), this.durable);
        written.push({ file, entry });
      }
    } catch (err) {
      await this.remove(written.map((w) => w.file));
      throw err;
    }
    return {
      committed: () => {
        for (const { file, entry } of written) this.deliver(file, entry);
      },
      abandoned: () => this.remove(written.map((w) => w.file)),
    };
  }

  /** Whether the change an outbox entry describes reached the store before the sandbox stopped. */
  private committed(store: S3Store, entry: OutboxEntry): boolean {
    const bucket = store.bucket(entry.bucket);
    if (!bucket) return false;
    const current = bucket.get(entry.key)?.sequencer ?? '';
    // A later change to the key means this one was written first (changes to a key are serialised).
    if (entry.kind === 'created') return compareSequencers(current, entry.sequencer) >= 0;
    return !bucket.get(entry.key) || compareSequencers(current, entry.sequencer) > 0;
  }

  private deliver(file: string, entry: OutboxEntry): void {
    const invoker = this.invoker;
    if (!invoker) {
      this.waiting.push({ file, entry });
      return;
    }
    const sending = this.send(invoker, file, entry).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async send(invoker: EventInvoker, file: string, entry: OutboxEntry): Promise<void> {
    const { event } = entry;
    const what = `${event.eventName} ${entry.bucket}/${entry.key} (sequencer ${entry.sequencer})`;
    try {
      const { settled } = await invoker.invoke(
        entry.functionArn,
        { Records: [event] },
        { type: 'Event', caller: { kind: 'service', service: S3_SERVICE, sourceArn: event.s3.bucket.arn } },
      );
      // Stopped: the invocation did not finish, so the event stays for the next start.
      if ((await settled) === 'stopped') return;
    } catch (err) {
      if (!(err instanceof AwsError)) {
        this.logger.error(
          `S3 event ${what} for ${entry.functionArn} kept for the next start: ${String(err)}`,
        );
        return;
      }
      this.logger.error(
        `S3 event ${what} not delivered to ${entry.functionArn}: ${err.code}: ${err.message}`,
      );
    }
    await this.remove([file]);
  }

  private async remove(files: readonly string[]): Promise<void> {
    await Promise.all(files.map((file) => rm(join(this.dir, file), { force: true })));
  }
}

/** Whether a configuration wants this event for this key ("s3:ObjectCreated:*" covers every creation). */
function matches(configuration: BucketNotificationSpec, eventName: string, key: string): boolean {
  const name = `s3:${eventName}`;
  const wanted = configuration.events.some(
    (e) => e === name || (e.endsWith(':*') && name.startsWith(e.slice(0, -1))),
  );
  return wanted && key.startsWith(configuration.prefix) && key.endsWith(configuration.suffix);
}

function eventRecord(
  model: DeployedModel,
  bucket: BucketSpec,
  configuration: BucketNotificationSpec,
  change: ObjectChange,
  request: ChangeRequest,
): S3EventRecord {
  const object =
    change.kind === 'created'
      ? {
          key: eventKey(change.record.key),
          size: change.record.size,
          eTag: change.record.etag.replace(/"/g, ''),
          ...(change.record.versionId === undefined ? {} : { versionId: change.record.versionId }),
          sequencer: change.record.sequencer,
        }
      : {
          key: eventKey(change.key),
          ...(request.versionId === undefined ? {} : { versionId: request.versionId }),
          sequencer: change.sequencer,
        };
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: bucket.region,
    eventTime: request.eventTime.toISOString(),
    eventName: request.eventName,
    userIdentity: { principalId: request.principalId },
    requestParameters: { sourceIPAddress: request.sourceIp },
    responseElements: { 'x-amz-request-id': request.requestId, 'x-amz-id-2': request.hostId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: configuration.id,
      bucket: {
        name: bucket.name,
        ownerIdentity: { principalId: ownerId(model.accountId) },
        arn: bucket.arn,
      },
      object,
    },
  };
}

/**
 * The key as S3 writes it in events: form-encoded (spaces as "+", everything but letters, digits,
 * "-_.*" percent-encoded as UTF-8), with "/" left as is.
 */
export function eventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/** The bucket owner's canonical-looking id in events: stable for the account, never a real one. */
function ownerId(accountId: string): string {
  return `A${createHash('sha256').update(accountId).digest('hex').slice(0, 13).toUpperCase()}`;
}
