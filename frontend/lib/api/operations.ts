// The data API's operations the web app uses, typed by hand after backend/lib/api/schema.graphql
// (test/api-operations.test.ts validates every document against that schema). Transport-free:
// the server (guest credentials) and the browser (the signed-in user's) each bring their own.

export type Visibility = 'PRIVATE' | 'SHARED' | 'PUBLIC';
export type ImageStatus = 'PROCESSING' | 'READY' | 'REJECTED' | 'HIDDEN';
export type ModerationAction = 'HIDE' | 'REMOVE';

export interface Rendition {
  /** Longest edge of the box it was made for. */
  size: number;
  width: number;
  height: number;
  /** Under `public/` once published: the CDN serves it at PublicBaseUrl without the folder. */
  key: string;
}

/** What anyone who may see an image gets. */
export interface ImageRecord {
  imageId: string;
  ownerId: string;
  /** The uploader's display name, read from their profile with the image; null when they set none. */
  ownerName: string | null;
  title: string | null;
  altText: string | null;
  description: string | null;
  width: number | null;
  height: number | null;
  /** `#rrggbb`, shown while a rendition loads. */
  placeholder: string | null;
  publishedAt: string | null;
  renditions: Rendition[];
}

/** The owner's view of their own image: its state and where the original is. */
export interface OwnImageRecord extends ImageRecord {
  visibility: Visibility | null;
  status: ImageStatus | null;
  rejectionReason: string | null;
  originalKey: string | null;
  originalBytes: number | null;
  createdAt: string | null;
}

export interface Page<T> {
  items: T[];
  /** Opaque; null on the last page. */
  nextToken: string | null;
}

export interface Profile {
  identityId: string;
  displayName: string | null;
}

const IMAGE_FIELDS = `
  imageId
  ownerId
  ownerName
  title
  altText
  description
  width
  height
  placeholder
  publishedAt
  renditions { size width height key }`;

const OWN_IMAGE_FIELDS = `${IMAGE_FIELDS}
  visibility
  status
  rejectionReason
  originalKey
  originalBytes
  createdAt`;

/** One operation: its document and the field of `data` that holds the answer. */
export interface Operation<Variables, Result> {
  readonly name: string;
  readonly document: string;
  readonly field: string;
  /** Phantom: carries the types to `call`. */
  readonly types?: { variables: Variables; result: Result };
}

function operation<Variables, Result>(field: string, document: string): Operation<Variables, Result> {
  const name = /^\s*(?:query|mutation)\s+(\w+)/.exec(document)?.[1];
  if (!name) throw new Error(`The ${field} document has no operation name.`);
  return { name, document, field };
}

export interface PageVariables {
  limit?: number;
  nextToken?: string;
}

export const OPERATIONS = {
  publicImages: operation<PageVariables, Page<ImageRecord>>(
    'publicImages',
    `query PublicImages($limit: Int, $nextToken: String) {
      publicImages(limit: $limit, nextToken: $nextToken) { items { ${IMAGE_FIELDS} } nextToken }
    }`,
  ),
  publicImage: operation<{ imageId: string }, ImageRecord | null>(
    'publicImage',
    `query PublicImage($imageId: ID!) { publicImage(imageId: $imageId) { ${IMAGE_FIELDS} } }`,
  ),
  myImages: operation<PageVariables, Page<OwnImageRecord>>(
    'myImages',
    `query MyImages($limit: Int, $nextToken: String) {
      myImages(limit: $limit, nextToken: $nextToken) { items { ${OWN_IMAGE_FIELDS} } nextToken }
    }`,
  ),
  sharedImages: operation<PageVariables, Page<ImageRecord>>(
    'sharedImages',
    `query SharedImages($limit: Int, $nextToken: String) {
      sharedImages(limit: $limit, nextToken: $nextToken) { items { ${IMAGE_FIELDS} } nextToken }
    }`,
  ),
  image: operation<{ imageId: string }, OwnImageRecord | null>(
    'image',
    `query Image($imageId: ID!) { image(imageId: $imageId) { ${OWN_IMAGE_FIELDS} } }`,
  ),
  myProfile: operation<Record<string, never>, Profile | null>(
    'myProfile',
    `query MyProfile { myProfile { identityId displayName } }`,
  ),
  updateImage: operation<
    { imageId: string; title?: string; altText?: string; description?: string },
    OwnImageRecord
  >(
    'updateImage',
    `mutation UpdateImage($imageId: ID!, $title: String, $altText: String, $description: String) {
      updateImage(imageId: $imageId, title: $title, altText: $altText, description: $description) {
        ${OWN_IMAGE_FIELDS}
      }
    }`,
  ),
  setVisibility: operation<{ imageId: string; visibility: Visibility }, OwnImageRecord>(
    'setVisibility',
    `mutation SetVisibility($imageId: ID!, $visibility: Visibility!) {
      setVisibility(imageId: $imageId, visibility: $visibility) { ${OWN_IMAGE_FIELDS} }
    }`,
  ),
  deleteImage: operation<{ imageId: string }, boolean>(
    'deleteImage',
    `mutation DeleteImage($imageId: ID!) { deleteImage(imageId: $imageId) }`,
  ),
  updateProfile: operation<{ displayName: string }, Profile>(
    'updateProfile',
    `mutation UpdateProfile($displayName: String!) {
      updateProfile(displayName: $displayName) { identityId displayName }
    }`,
  ),
  deleteMyData: operation<Record<string, never>, boolean>(
    'deleteMyData',
    `mutation DeleteMyData { deleteMyData }`,
  ),
  moderateImage: operation<{ imageId: string; action: ModerationAction }, boolean>(
    'moderateImage',
    `mutation ModerateImage($imageId: ID!, $action: ModerationAction!) {
      moderateImage(imageId: $imageId, action: $action)
    }`,
  ),
} as const;

export type OperationName = keyof typeof OPERATIONS;
type VariablesOf<O> = O extends Operation<infer V, unknown> ? V : never;
type ResultOf<O> = O extends Operation<unknown, infer R> ? R : never;

/** Sends one document with its variables and resolves to the response's `data`, or throws ApiError. */
export type Transport = (
  document: string,
  variables: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** A typed function per operation, over one transport. */
export type DataApi = {
  [K in OperationName]: (
    variables: VariablesOf<(typeof OPERATIONS)[K]>,
  ) => Promise<ResultOf<(typeof OPERATIONS)[K]>>;
};

export function dataApi(transport: Transport): DataApi {
  const entries = Object.entries(OPERATIONS).map(([key, op]) => [
    key,
    async (variables: Record<string, unknown>) => {
      const data = await transport(op.document, variables);
      if (!(op.field in data)) {
        throw new ApiError('BadResponse', `The data API's answer to ${op.name} has no ${op.field}.`);
      }
      return data[op.field];
    },
  ]);
  return Object.fromEntries(entries) as DataApi;
}

/**
 * A refusal or failure of the data API. `type` is AppSync's `errorType` (the api function's
 * Unauthorized, NotFound, BadRequest, Conflict; AppSync's own like UnauthorizedException), or
 * NetworkError / NotConfigured / BadResponse from this side.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}
