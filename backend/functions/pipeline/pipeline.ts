// The upload pipeline: one S3 event at a time, idempotent, renditions first and record last.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import {
  type OriginalKey,
  parseOriginalKey,
  publicPrefix,
  renditionKey,
  renditionsPrefix,
} from '../../lib/records/image-keys';
import { formatBytes, UPLOAD_LIMITS } from '../../lib/records/limits';
import type { Cdn } from '../shared/cdn';
import type { ObjectStore } from '../shared/object-store';
import { unpublish } from '../shared/publishing';
import { type ImageRecord, type ImageRecords, imageIdOf, isTombstone } from '../shared/records';
import { normalizeSequencer, versionOf } from '../shared/sequencer';
import { processImage, sizeProblem } from './process-image';

export interface PipelineDeps {
  readonly store: ObjectStore;
  readonly records: ImageRecords;
  readonly cdn: Cdn;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** Renditions never change under their key (the key holds the original's version). */
const RENDITION_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export function createPipeline(deps: PipelineDeps): (event: S3Event) => Promise<void> {
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  async function created(original: OriginalKey, event: S3EventRecord, sequencer: string) {
    const imageId = imageIdOf(original.key);
    const log = deps.logger.createChild({ persistentKeys: { imageId, key: original.key } });
    const previous = await deps.records.get(imageId);
    const at = now();
    const claim: ImageRecord = {
      imageId,
      ownerId: original.ownerId,
      folder: original.folder,
      originalKey: original.key,
      originalBytes: event.s3.object.size,
      sequencer,
      status: 'PROCESSING',
      // A new upload under the same name starts unpublished; the owner's text carries over.
      visibility: original.folder === 'private' ? 'private' : 'shared',
      ...(previous && !isTombstone(previous)
        ? { title: previous.title, altText: previous.altText, description: previous.description }
        : {}),
      createdAt: previous && !isTombstone(previous) ? previous.createdAt : at,
      updatedAt: at,
    };
    if (!(await deps.records.claim(claim))) {
      log.info('Skipped: a newer or the same event was already handled', { sequencer });
      return;
    }

    const outcome = await evaluate(original, event, claim);
    const version = versionOf(sequencer);
    let record: ImageRecord;
    if (outcome.status === 'READY') {
      for (const rendition of outcome.renditions) {
        await deps.store.put(
          renditionKey(original.folder, original.ownerId, imageId, version, rendition.size),
          rendition.body,
          { contentType: 'image/webp', cacheControl: RENDITION_CACHE_CONTROL },
        );
      }
      record = {
        ...claim,
        status: 'READY',
        width: outcome.width,
        height: outcome.height,
        placeholder: outcome.placeholder,
        renditions: outcome.renditions.map(({ size, width, height, body }) => ({
          size,
          width,
          height,
          bytes: body.length,
        })),
        updatedAt: now(),
      };
      log.info('Ready', { timings: outcome.timings, renditions: record.renditions });
    } else if (outcome.status === 'REJECTED') {
      record = { ...claim, status: 'REJECTED', rejectionReason: outcome.reason, updatedAt: now() };
      log.info('Rejected', { reason: outcome.reason });
    } else {
      log.info('Skipped: the object is gone; its removal event deletes the record');
      return;
    }

    if (!(await deps.records.finish(record))) {
      // A newer upload or a delete took the record over while this one ran: drop what this run wrote.
      await deps.store.delete(
        await deps.store.list(`${renditionsPrefix(original.folder, original.ownerId, imageId)}${version}/`),
      );
      log.info('Superseded while processing; its renditions were removed');
      return;
    }
    // Older versions' renditions and anything published of the previous upload go.
    const stale = (
      await deps.store.list(renditionsPrefix(original.folder, original.ownerId, imageId))
    ).filter((key) => !key.includes(`/${version}/`));
    await deps.store.delete(stale);
    if ((await deps.store.list(publicPrefix(original.ownerId, imageId))).length > 0) {
      await unpublish(deps.store, deps.cdn, record);
    }
  }

  type Outcome = Awaited<ReturnType<typeof processImage>> | { readonly status: 'GONE' };

  async function evaluate(original: OriginalKey, event: S3EventRecord, claim: ImageRecord): Promise<Outcome> {
    const tooBig = sizeProblem(event.s3.object.size);
    if (tooBig) return { status: 'REJECTED', reason: tooBig };
    const usage = await deps.records.usage(original.ownerId, claim.imageId);
    if (usage.images >= UPLOAD_LIMITS.maxImagesPerUser) {
      return {
        status: 'REJECTED',
        reason: `You already have ${usage.images} images, the most one account may keep. Delete some to upload more.`,
      };
    }
    if (usage.bytes + event.s3.object.size > UPLOAD_LIMITS.maxBytesPerUser) {
      return {
        status: 'REJECTED',
        reason: `Your images already take ${formatBytes(usage.bytes)} of the ${formatBytes(UPLOAD_LIMITS.maxBytesPerUser)} one account may use. Delete some to upload more.`,
      };
    }
    const bytes = await deps.store.get(original.key, event.s3.object.versionId);
    if (bytes === undefined) return { status: 'GONE' };
    return processImage(bytes);
  }

  async function removed(original: OriginalKey, sequencer: string) {
    const imageId = imageIdOf(original.key);
    const log = deps.logger.createChild({ persistentKeys: { imageId, key: original.key } });
    const replaced = await deps.records.tombstone({
      imageId,
      ownerId: original.ownerId,
      status: 'DELETED',
      sequencer,
      wasPublic: false,
    });
    if (replaced === false) {
      log.info('Skipped: the record is newer than this delete', { sequencer });
      return;
    }
    const wasPublic =
      replaced !== undefined &&
      (isTombstone(replaced) ? replaced.wasPublic : replaced.visibility === 'public');
    if (wasPublic) {
      // Recorded first, so a retry after a crash below still purges the CDN.
      await deps.records.tombstone({
        imageId,
        ownerId: original.ownerId,
        status: 'DELETED',
        sequencer,
        wasPublic,
      });
    }
    await deps.store.delete(
      await deps.store.list(renditionsPrefix(original.folder, original.ownerId, imageId)),
    );
    const published = await deps.store.list(publicPrefix(original.ownerId, imageId));
    if (wasPublic || published.length > 0)
      await unpublish(deps.store, deps.cdn, { ownerId: original.ownerId, imageId });
    log.info('Deleted', { sequencer });
  }

  return async (event: S3Event) => {
    for (const record of event.Records) {
      // Keys arrive form-URL-encoded: space as "+", other characters percent-encoded.
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
      const original = parseOriginalKey(key);
      if (!original) {
        deps.logger.warn('Ignored an event outside the originals folders', {
          key,
          eventName: record.eventName,
        });
        continue;
      }
      const sequencer = normalizeSequencer(record.s3.object.sequencer);
      if (record.eventName.startsWith('ObjectCreated:')) await created(original, record, sequencer);
      else if (record.eventName.startsWith('ObjectRemoved:')) await removed(original, sequencer);
      else deps.logger.warn('Ignored an event of an unexpected kind', { key, eventName: record.eventName });
    }
  };
}
