// Image records and profiles in the image table. Every write that an S3 event causes is
// conditional on the event's sequencer, so duplicates and late events change nothing.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OriginalFolder } from '../../lib/records/image-keys';
import {
  EXPIRES_AT,
  IMAGE_SK,
  imagePk,
  INDEXES,
  ownerPk,
  PUBLIC_FEED_PARTITION,
  SHARED_FEED_PARTITION,
  timeSk,
} from '../../lib/records/table-schema';

export type ImageStatus = 'PROCESSING' | 'READY' | 'REJECTED' | 'HIDDEN';
export type Visibility = 'private' | 'shared' | 'public';

export interface Rendition {
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

export interface ImageRecord {
  readonly imageId: string;
  readonly ownerId: string;
  readonly folder: OriginalFolder;
  readonly originalKey: string;
  readonly originalBytes: number;
  /** The original's S3 sequencer, zero-padded (functions/shared/sequencer.ts). */
  readonly sequencer: string;
  readonly status: ImageStatus;
  readonly rejectionReason?: string;
  readonly visibility: Visibility;
  readonly title?: string;
  readonly altText?: string;
  readonly description?: string;
  readonly width?: number;
  readonly height?: number;
  readonly renditions?: readonly Rendition[];
  readonly placeholder?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When it last became public. */
  readonly publishedAt?: string;
}

/** What a delete leaves: no index keys (so no listing shows it), kept a while to refuse late events. */
export interface Tombstone {
  readonly imageId: string;
  readonly ownerId: string;
  readonly status: 'DELETED';
  readonly sequencer: string;
  /** Whether anything of it was on the CDN (a retried delete must still invalidate). */
  readonly wasPublic: boolean;
}

export type StoredImage = ImageRecord | Tombstone;

/** Stable per original key: every event about one key lands on one record. */
export function imageIdOf(originalKey: string): string {
  return createHash('sha256').update(originalKey).digest('base64url').slice(0, 22);
}

/** Late S3 events arrive within hours (async retries last at most 6 h); a week is ample. */
const TOMBSTONE_SECONDS = 7 * 24 * 3600;

/** The index keys an image carries: each listing holds exactly the images that belong in it. */
export function indexKeys(record: ImageRecord): Record<string, string> {
  const keys: Record<string, string> = {
    ownerPk: ownerPk(record.ownerId),
    ownerSk: timeSk(record.createdAt, record.imageId),
  };
  if (record.status === 'READY' && record.visibility !== 'private') {
    keys.sharedPk = SHARED_FEED_PARTITION;
    keys.sharedSk = timeSk(record.createdAt, record.imageId);
  }
  if (record.status === 'READY' && record.visibility === 'public') {
    keys.publicPk = PUBLIC_FEED_PARTITION;
    keys.publicSk = timeSk(record.publishedAt ?? record.createdAt, record.imageId);
  }
  return keys;
}

export class ImageRecords {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(imageId: string): Promise<StoredImage | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: imagePk(imageId), sk: IMAGE_SK },
        ConsistentRead: true,
      }),
    );
    return Item ? stripKeys(Item) : undefined;
  }

  /**
   * Claims the image for the event with `record.sequencer`: succeeds when no newer event has
   * been seen, or when a run for this same event crashed before finishing (its retry).
   */
  async claim(record: ImageRecord): Promise<boolean> {
    return this.conditionalPut(
      record,
      'attribute_not_exists(pk) OR sequencer < :seq OR (sequencer = :seq AND #status = :processing)',
      { ':seq': record.sequencer, ':processing': 'PROCESSING' },
    );
  }

  /** Writes the outcome, only if the claim of this same event still holds. */
  async finish(record: ImageRecord): Promise<boolean> {
    return this.conditionalPut(record, 'sequencer = :seq AND #status = :processing', {
      ':seq': record.sequencer,
      ':processing': 'PROCESSING',
    });
  }

  /**
   * Replaces the image with a tombstone unless a newer event was seen; returns what it
   * replaced, or false when the delete is older than the record.
   */
  async tombstone(tombstone: Tombstone): Promise<StoredImage | undefined | false> {
    try {
      const { Attributes } = await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: imagePk(tombstone.imageId),
            sk: IMAGE_SK,
            ...tombstone,
            [EXPIRES_AT]: Math.floor(this.now().getTime() / 1000) + TOMBSTONE_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR sequencer <= :seq',
          ExpressionAttributeValues: { ':seq': tombstone.sequencer },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes ? stripKeys(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Writes an owner's edit, only if the record is still the one the caller read. */
  async update(record: ImageRecord, expected: ImageRecord): Promise<boolean> {
    return this.conditionalPut(record, 'sequencer = :seq AND updatedAt = :updatedAt', {
      ':seq': expected.sequencer,
      ':updatedAt': expected.updatedAt,
    });
  }

  /** How many images the owner has (deleted ones excluded) and the bytes of their originals. */
  async usage(ownerId: string, excludingImageId: string): Promise<{ images: number; bytes: number }> {
    let images = 0;
    let bytes = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.byOwner,
          KeyConditionExpression: 'ownerPk = :owner',
          ExpressionAttributeValues: { ':owner': ownerPk(ownerId) },
          ProjectionExpression: 'imageId, originalBytes',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.imageId === excludingImageId) continue;
        images += 1;
        bytes += Number(item.originalBytes ?? 0);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { images, bytes };
  }

  private async conditionalPut(
    record: ImageRecord,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: imagePk(record.imageId), sk: IMAGE_SK, ...record, ...indexKeys(record) },
          ConditionExpression: condition,
          ExpressionAttributeNames: condition.includes('#status') ? { '#status': 'status' } : undefined,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

const KEY_ATTRIBUTES = new Set([
  'pk',
  'sk',
  'ownerPk',
  'ownerSk',
  'publicPk',
  'publicSk',
  'sharedPk',
  'sharedSk',
  EXPIRES_AT,
]);

function stripKeys(item: Record<string, unknown>): StoredImage {
  return Object.fromEntries(
    Object.entries(item).filter(([key]) => !KEY_ATTRIBUTES.has(key)),
  ) as unknown as StoredImage;
}

export const isTombstone = (image: StoredImage): image is Tombstone => image.status === 'DELETED';
