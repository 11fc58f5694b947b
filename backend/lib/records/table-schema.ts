// The image table's layout, shared by the table construct and the functions that read and
// write it. Pure on purpose (no aws-cdk-lib), like the storage access rules.

/** Key attributes of the base table and of each index. */
export const KEYS = {
  pk: 'pk',
  sk: 'sk',
  ownerPk: 'ownerPk',
  ownerSk: 'ownerSk',
  publicPk: 'publicPk',
  publicSk: 'publicSk',
  sharedPk: 'sharedPk',
  sharedSk: 'sharedSk',
} as const;

/** DynamoDB's TTL attribute: only tombstones carry it. */
export const EXPIRES_AT = 'expiresAt';

export const INDEXES = {
  /** Every image of one owner (any status), newest first. */
  byOwner: 'ByOwner',
  /** READY images with public visibility, newest published first. Sparse. */
  publicFeed: 'PublicFeed',
  /** READY images shared with signed-in users (shared or public visibility), newest first. Sparse. */
  sharedFeed: 'SharedFeed',
} as const;

/** The single partition of each feed (see docs/records.md on when to shard it). */
export const PUBLIC_FEED_PARTITION = 'FEED#PUBLIC';
export const SHARED_FEED_PARTITION = 'FEED#SHARED';

export const imagePk = (imageId: string) => `IMG#${imageId}`;
export const IMAGE_SK = 'IMG';
export const ownerPk = (identityId: string) => `OWNER#${identityId}`;
export const userPk = (identityId: string) => `USER#${identityId}`;
export const PROFILE_SK = 'PROFILE';
/** Sort keys order by time, then by image id so two images of the same millisecond never collide. */
export const timeSk = (isoTime: string, imageId: string) => `${isoTime}#${imageId}`;

/**
 * The attributes anyone but the owner may see. Both feed indexes project only these, so an
 * owner-only field (original key, original size, rejection reason) cannot leak through a
 * feed query even if a handler forgot to filter it.
 */
export const PUBLIC_ATTRIBUTES = [
  'imageId',
  'ownerId',
  'title',
  'altText',
  'description',
  'width',
  'height',
  'renditions',
  'placeholder',
  'publishedAt',
  'visibility',
  // Where the renditions are: the folder and version (sequencer) are part of their keys.
  'folder',
  'sequencer',
] as const;
