// The data API's one function: every field of lib/api/schema.graphql, resolved directly.
// IAM has already decided who may call the field; this decides whose data it touches.
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { PAGE_SIZE, TEXT_LIMITS } from '@image-share/contracts/records';
import type { AppSyncIdentityIAM, AppSyncResolverEvent } from 'aws-lambda';
import { z } from 'zod';
import { publicRenditionKey, renditionKey } from '../../lib/records/image-keys';
import {
  INDEXES,
  ownerPk,
  PROFILE_SK,
  PUBLIC_FEED_PARTITION,
  SHARED_FEED_PARTITION,
  userPk,
} from '../../lib/records/table-schema';
import type { Cdn } from '../shared/cdn';
import type { ObjectStore } from '../shared/object-store';
import { publish, unpublish } from '../shared/publishing';
import { type ImageRecord, type ImageRecords, isTombstone, type Visibility } from '../shared/records';
import { versionOf } from '../shared/sequencer';
import type { Cursors } from './cursor';

export interface ApiDeps {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly records: ImageRecords;
  readonly store: ObjectStore;
  readonly cdn: Cdn;
  readonly cursors: Cursors;
  /** The admin role's name: moderation is refused to anyone else, even if IAM let them through. */
  readonly adminRoleName: string;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** Errors whose name becomes the GraphQL error's `errorType`. */
export class ApiError extends Error {
  constructor(
    override readonly name: 'Unauthorized' | 'NotFound' | 'BadRequest' | 'Conflict',
    message: string,
  ) {
    super(message);
  }
}

type Event = AppSyncResolverEvent<Record<string, unknown>>;

interface Caller {
  readonly identityId: string;
  readonly signedIn: boolean;
  readonly admin: boolean;
}

const pageArgs = z.object({
  limit: z.number().int().min(1).max(PAGE_SIZE.max).nullish(),
  nextToken: z.string().max(2048).nullish(),
});
const imageIdArg = z.object({ imageId: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'imageId is malformed') });
const text = (max: number, what: string) =>
  z.string().max(max, `${what} may be at most ${max} characters`).nullish();
const updateArgs = imageIdArg.extend({
  title: text(TEXT_LIMITS.title, 'title'),
  altText: text(TEXT_LIMITS.altText, 'altText'),
  description: text(TEXT_LIMITS.description, 'description'),
});
const visibilityArgs = imageIdArg.extend({ visibility: z.enum(['PRIVATE', 'SHARED', 'PUBLIC']) });
const profileArgs = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, 'displayName may not be empty')
    .max(TEXT_LIMITS.displayName, `displayName may be at most ${TEXT_LIMITS.displayName} characters`),
});
const moderateArgs = imageIdArg.extend({ action: z.enum(['HIDE', 'REMOVE']) });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError('BadRequest', result.error.issues.map((issue) => issue.message).join('; '));
  }
  return result.data;
}

export function createApiHandler(deps: ApiDeps): (event: Event) => Promise<unknown> {
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  function callerOf(event: Event): Caller {
    const identity = event.identity as AppSyncIdentityIAM | null | undefined;
    if (!identity?.cognitoIdentityId)
      throw new ApiError('Unauthorized', 'Sign in through the identity pool.');
    const roleName = /:assumed-role\/([^/]+)\//.exec(identity.userArn ?? '')?.[1];
    return {
      identityId: identity.cognitoIdentityId,
      signedIn: identity.cognitoIdentityAuthType === 'authenticated',
      admin: identity.cognitoIdentityAuthType === 'authenticated' && roleName === deps.adminRoleName,
    };
  }

  async function page(
    caller: Caller,
    field: string,
    args: unknown,
    query: { index: string; pkName: string; pk: string },
    view: (record: ImageRecord) => Record<string, unknown>,
  ) {
    const { limit, nextToken } = parse(pageArgs, args);
    const scope = `${field}:${caller.identityId}`;
    const result = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        IndexName: query.index,
        KeyConditionExpression: `${query.pkName} = :pk`,
        ExpressionAttributeValues: { ':pk': query.pk },
        ScanIndexForward: false,
        Limit: limit ?? PAGE_SIZE.default,
        ExclusiveStartKey: deps.cursors.decode(scope, nextToken),
      }),
    );
    return {
      items: await withOwnerNames((result.Items ?? []).map((item) => view(item as ImageRecord))),
      nextToken: deps.cursors.encode(scope, result.LastEvaluatedKey),
    };
  }

  /**
   * Joins each image to its owner's display name at read time, so a rename shows at once on
   * every image. One BatchGetItem per page for the distinct owners (a page holds at most
   * PAGE_SIZE.max images, under BatchGetItem's 100 keys); only the name is read from a profile.
   */
  async function withOwnerNames(views: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    const owners = [...new Set(views.map((view) => view.ownerId as string))];
    if (owners.length === 0) return views;
    const names = new Map<string, string>();
    let keys: Record<string, unknown>[] | undefined = owners.map((owner) => ({
      pk: userPk(owner),
      sk: PROFILE_SK,
    }));
    // DynamoDB may leave keys unprocessed under throttling; ask again for those only, a few times.
    for (let attempt = 0; keys?.length && attempt < 4; attempt += 1) {
      const result: BatchGetCommandOutput = await deps.db.send(
        new BatchGetCommand({
          RequestItems: {
            [deps.tableName]: {
              Keys: keys,
              ProjectionExpression: '#pk, #name',
              ExpressionAttributeNames: { '#pk': 'pk', '#name': 'displayName' },
            },
          },
        }),
      );
      for (const item of result.Responses?.[deps.tableName] ?? []) {
        if (typeof item.displayName === 'string') names.set(item.pk as string, item.displayName);
      }
      keys = result.UnprocessedKeys?.[deps.tableName]?.Keys;
    }
    if (keys?.length) throw new Error('DynamoDB left profile reads unprocessed after retries.');
    return views.map((view) => ({ ...view, ownerName: names.get(userPk(view.ownerId as string)) ?? null }));
  }

  async function withOwnerName(view: Record<string, unknown>): Promise<Record<string, unknown>> {
    const [named] = await withOwnerNames([view]);
    return named as Record<string, unknown>;
  }

  async function ownImage(caller: Caller, imageId: string): Promise<ImageRecord> {
    const stored = await deps.records.get(imageId);
    if (!stored || isTombstone(stored)) throw new ApiError('NotFound', 'No such image.');
    if (stored.ownerId !== caller.identityId) throw new ApiError('Unauthorized', 'This image is not yours.');
    return stored;
  }

  async function save(record: ImageRecord, expected: ImageRecord) {
    if (!(await deps.records.update(record, expected))) {
      throw new ApiError(
        'Conflict',
        'The image changed meanwhile (a new upload or another edit); reload and try again.',
      );
    }
  }

  const resolvers: Record<string, (caller: Caller, args: Record<string, unknown>) => Promise<unknown>> = {
    'Query.publicImages': (caller, args) =>
      page(
        caller,
        'publicImages',
        args,
        { index: INDEXES.publicFeed, pkName: 'publicPk', pk: PUBLIC_FEED_PARTITION },
        othersView,
      ),
    'Query.publicImage': async (_caller, args) => {
      const { imageId } = parse(imageIdArg, args);
      const stored = await deps.records.get(imageId);
      return stored && !isTombstone(stored) && isPublic(stored) ? withOwnerName(othersView(stored)) : null;
    },
    'Query.myImages': (caller, args) =>
      page(
        caller,
        'myImages',
        args,
        { index: INDEXES.byOwner, pkName: 'ownerPk', pk: ownerPk(caller.identityId) },
        ownerView,
      ),
    'Query.sharedImages': (caller, args) =>
      page(
        caller,
        'sharedImages',
        args,
        { index: INDEXES.sharedFeed, pkName: 'sharedPk', pk: SHARED_FEED_PARTITION },
        othersView,
      ),
    'Query.image': async (caller, args) => {
      const { imageId } = parse(imageIdArg, args);
      const stored = await deps.records.get(imageId);
      if (!stored || isTombstone(stored)) return null;
      if (stored.ownerId === caller.identityId) return withOwnerName(ownerView(stored));
      return stored.status === 'READY' && stored.visibility !== 'private'
        ? withOwnerName(othersView(stored))
        : null;
    },
    'Query.myProfile': async (caller) => {
      const { Item } = await deps.db.send(
        new GetCommand({ TableName: deps.tableName, Key: { pk: userPk(caller.identityId), sk: PROFILE_SK } }),
      );
      return { identityId: caller.identityId, displayName: Item?.displayName ?? null };
    },
    'Mutation.updateImage': async (caller, args) => {
      const input = parse(updateArgs, args);
      const current = await ownImage(caller, input.imageId);
      const next: ImageRecord = {
        ...current,
        ...(input.title !== undefined ? { title: input.title ?? undefined } : {}),
        ...(input.altText !== undefined ? { altText: input.altText ?? undefined } : {}),
        ...(input.description !== undefined ? { description: input.description ?? undefined } : {}),
        updatedAt: now(),
      };
      await save(next, current);
      return withOwnerName(ownerView(next));
    },
    'Mutation.setVisibility': async (caller, args) => {
      const input = parse(visibilityArgs, args);
      const current = await ownImage(caller, input.imageId);
      const visibility = input.visibility.toLowerCase() as Visibility;
      if (visibility === 'public' && current.status !== 'READY') {
        throw new ApiError(
          'BadRequest',
          `Only a READY image can be published (this one is ${current.status}).`,
        );
      }
      const at = now();
      const next: ImageRecord = {
        ...current,
        visibility,
        publishedAt: visibility === 'public' && current.visibility !== 'public' ? at : current.publishedAt,
        updatedAt: at,
      };
      // Files before the listing when publishing; the listing before the files when unpublishing.
      if (visibility === 'public' && current.visibility !== 'public') await publish(deps.store, next);
      await save(next, current);
      if (visibility !== 'public' && current.visibility === 'public')
        await unpublish(deps.store, deps.cdn, next);
      return withOwnerName(ownerView(next));
    },
    'Mutation.deleteImage': async (caller, args) => {
      const { imageId } = parse(imageIdArg, args);
      const current = await ownImage(caller, imageId);
      // The pipeline's removal event does the rest, in order, even if this call fails halfway.
      await deps.store.delete([current.originalKey]);
      return true;
    },
    'Mutation.updateProfile': async (caller, args) => {
      const { displayName } = parse(profileArgs, args);
      await deps.db.send(
        new PutCommand({
          TableName: deps.tableName,
          Item: { pk: userPk(caller.identityId), sk: PROFILE_SK, displayName, updatedAt: now() },
        }),
      );
      return { identityId: caller.identityId, displayName };
    },
    'Mutation.deleteMyData': async (caller) => {
      for (const folder of ['protected', 'private']) {
        await deps.store.delete(await deps.store.list(`${folder}/${caller.identityId}/`));
      }
      await deps.db.send(
        new DeleteCommand({
          TableName: deps.tableName,
          Key: { pk: userPk(caller.identityId), sk: PROFILE_SK },
        }),
      );
      return true;
    },
    'Mutation.moderateImage': async (caller, args) => {
      if (!caller.admin) throw new ApiError('Unauthorized', 'Only admins moderate.');
      const { imageId, action } = parse(moderateArgs, args);
      const current = await deps.records.get(imageId);
      if (!current || isTombstone(current)) throw new ApiError('NotFound', 'No such image.');
      if (action === 'HIDE') {
        await save(
          {
            ...current,
            status: 'HIDDEN',
            visibility: current.visibility === 'public' ? 'shared' : current.visibility,
            updatedAt: now(),
          },
          current,
        );
      } else {
        await deps.store.delete([current.originalKey]);
      }
      await unpublish(deps.store, deps.cdn, current);
      deps.logger.info('Moderated', { imageId, action, by: caller.identityId });
      return true;
    },
  };

  return async (event: Event) => {
    const field = `${event.info.parentTypeName}.${event.info.fieldName}`;
    const resolve = resolvers[field];
    if (!resolve) throw new ApiError('BadRequest', `No resolver for ${field}`);
    const caller = callerOf(event);
    const guestField = field === 'Query.publicImages' || field === 'Query.publicImage';
    if (!caller.signedIn && !guestField) throw new ApiError('Unauthorized', 'Sign in first.');
    return resolve(caller, event.arguments ?? {});
  };
}

const isPublic = (record: ImageRecord) => record.status === 'READY' && record.visibility === 'public';

function renditionsOf(record: ImageRecord) {
  const version = versionOf(record.sequencer);
  return (record.renditions ?? []).map((r) => ({
    size: r.size,
    width: r.width,
    height: r.height,
    key:
      record.visibility === 'public'
        ? publicRenditionKey(record.ownerId, record.imageId, version, r.size)
        : renditionKey(record.folder, record.ownerId, record.imageId, version, r.size),
  }));
}

/** What anyone but the owner sees: never the original's key or size, the status or a rejection reason. */
function othersView(record: ImageRecord): Record<string, unknown> {
  return {
    imageId: record.imageId,
    ownerId: record.ownerId,
    title: record.title ?? null,
    altText: record.altText ?? null,
    description: record.description ?? null,
    width: record.width ?? null,
    height: record.height ?? null,
    placeholder: record.placeholder ?? null,
    publishedAt: record.publishedAt ?? null,
    visibility: record.visibility.toUpperCase(),
    renditions: renditionsOf(record),
    status: null,
    rejectionReason: null,
    originalKey: null,
    originalBytes: null,
    createdAt: null,
  };
}

function ownerView(record: ImageRecord): Record<string, unknown> {
  return {
    ...othersView(record),
    status: record.status,
    rejectionReason: record.rejectionReason ?? null,
    originalKey: record.originalKey,
    originalBytes: record.originalBytes,
    createdAt: record.createdAt,
  };
}
