import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { BucketSpec } from '../../deploy/model';
import type { Authentication } from './sigv4';
import type { BucketStore, ChangeRequest } from './store';
import type { XmlObject } from './xml';

/** What every operation handler gets: the addressed bucket and key, the caller, and an authorise step. */
export interface S3RequestContext {
  readonly req: IncomingMessage;
  readonly bucket: BucketSpec;
  readonly store: BucketStore;
  /** The object key exactly as addressed (decoded once, never normalised); "" for bucket operations. */
  readonly key: string;
  readonly query: ReadonlyMap<string, string>;
  readonly auth: Authentication;
  readonly now: Date;
  /** Throws AccessDenied (and logs it) unless the caller may do `action` on the bucket or `key`. */
  authorize(
    action: string,
    target?: {
      key?: string;
      bucket?: string;
      context?: Record<string, string | readonly string[] | undefined>;
    },
  ): void;
  /** Whether the caller could have listed `key` (S3's choice between NoSuchKey and AccessDenied). */
  mayList(key: string, bucket?: string): boolean;
  header(name: string): string | undefined;
  /** This request as the cause of a change, for the event S3 sends about it. */
  change(eventName: string, versionId?: string): ChangeRequest;
}

/** A handler's answer: status, headers, and an XML document, a small body in memory, or a byte stream. */
export interface S3Result {
  readonly status?: number;
  readonly headers?: Record<string, string | undefined>;
  readonly xml?: { readonly root: string; readonly body: XmlObject };
  readonly body?: Buffer;
  readonly stream?: Readable;
}
