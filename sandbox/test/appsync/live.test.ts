/**
 * The data API through the sandbox from the real app's templates: SigV4 and `appsync:GraphQL` on
 * each field's ARN for a guest, two users and an admin (the matrix's rows are the backend's own
 * field grants, so a changed grant fails here), the api function's data rules on records in the
 * table, AppSync's error shapes, hostile requests, and the api function's role refused outside
 * its grants.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FIELD_ACCESS, type ApiRole } from '../../../backend/lib/api/field-access';
import { indexKeys, type ImageRecord } from '../../../backend/functions/shared/records';
import { IMAGE_SK, imagePk } from '../../../backend/lib/records/table-schema';
import type { SessionCredentials } from '../../src/core/credentials';
import { issueFunctionCredentials } from '../../src/services/lambda/credentials';
import { startLiveSandbox, type LiveSandbox, type Principal } from '../live/harness';
import { graphql, type GraphQlCredentials } from './helpers';

/** One request per field of the schema; a field added to the grants without one here fails the matrix. */
/** A well-formed image id no record has. */
const MISSING = 'AAAAAAAAAAAAAAAAAAAAAA';
const FIELD_QUERIES: Readonly<Record<string, string>> = {
  'Query.publicImages': '{ publicImages(limit: 5) { items { imageId } nextToken } }',
  'Query.publicImage': `{ publicImage(imageId: "${MISSING}") { imageId } }`,
  'Query.myImages': '{ myImages { items { imageId } } }',
  'Query.sharedImages': '{ sharedImages { items { imageId } } }',
  'Query.image': `{ image(imageId: "${MISSING}") { imageId } }`,
  'Query.myProfile': '{ myProfile { identityId } }',
  'Mutation.updateImage': `mutation { updateImage(imageId: "${MISSING}", title: "t") { imageId } }`,
  'Mutation.setVisibility': `mutation { setVisibility(imageId: "${MISSING}", visibility: PUBLIC) { imageId } }`,
  'Mutation.deleteImage': `mutation { deleteImage(imageId: "${MISSING}") }`,
  'Mutation.updateProfile': 'mutation { updateProfile(displayName: "Someone") { displayName } }',
  'Mutation.deleteMyData': 'mutation { deleteMyData }',
  'Mutation.moderateImage': `mutation { moderateImage(imageId: "${MISSING}", action: HIDE) }`,
};

let live: LiveSandbox;
let url: string;
let guest: Principal;
let userA: Principal;
let userB: Principal;
let admin: Principal;
let tableName: string;
const ids = {
  readyPublic: 'readyPublicImage000001',
  processing: 'processingImage0000002',
  hidden: 'hiddenImage00000000003',
  rejected: 'rejectedImage000000004',
  readyPrivate: 'readyPrivateImage00005',
};

function roleOf(p: Principal): ApiRole {
  return p === guest ? 'guest' : p === admin ? 'admin' : 'authenticated';
}

/** Credentials for a deployed function's execution role, registered with the sandbox. */
async function functionSession(
  match: (env: Readonly<Record<string, string>>) => boolean,
): Promise<SessionCredentials> {
  const fn = [...live.sandbox.model.functions.values()].find((f) => match(f.environment));
  if (!fn) throw new Error('no such function in the templates');
  const session = issueFunctionCredentials(live.sandbox.model, fn, { now: () => new Date() });
  await live.sandbox.credentials.put(session);
  return session;
}

const ask = (who: GraphQlCredentials | undefined, query: string, variables?: Record<string, unknown>) =>
  graphql(url, who, { query, variables });

function record(
  imageId: string,
  status: ImageRecord['status'],
  visibility: ImageRecord['visibility'],
): ImageRecord {
  const time = new Date(Date.now() - Number(imageId.slice(-1)) * 1000).toISOString();
  return {
    imageId,
    ownerId: userA.identityId,
    folder: 'protected',
    originalKey: `protected/${userA.identityId}/${imageId}.jpg`,
    originalBytes: 12345,
    sequencer: '0000000000000000000001',
    status,
    ...(status === 'REJECTED' ? { rejectionReason: 'Not an image.' } : {}),
    visibility,
    title: `title of ${imageId}`,
    width: 640,
    height: 480,
    renditions:
      status === 'READY' || status === 'HIDDEN' ? [{ size: 640, width: 640, height: 480, bytes: 1000 }] : [],
    createdAt: time,
    updatedAt: time,
    ...(visibility === 'public' && status === 'READY' ? { publishedAt: time } : {}),
  };
}

beforeAll(async () => {
  live = await startLiveSandbox();
  const stack = Object.values(live.sandbox.outputs).find((o) => o.GraphQlUrl !== undefined);
  url = stack!.GraphQlUrl!;
  guest = await live.guest();
  userA = await live.user('ana');
  userB = await live.user('bo');
  admin = await live.user('ada', { groups: ['admins'] });
  tableName = [...live.sandbox.model.tables.keys()][0]!;

  // The records the pipeline would have written, written with the pipeline's own role.
  const pipeline = await functionSession(
    (env) => env.TABLE_NAME !== undefined && env.CURSOR_KEY_SECRET_ARN === undefined,
  );
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: live.region,
      endpoint: live.sandbox.endpoint,
      credentials: pipeline,
      maxAttempts: 1,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  for (const r of [
    record(ids.readyPublic, 'READY', 'public'),
    record(ids.processing, 'PROCESSING', 'public'),
    record(ids.hidden, 'HIDDEN', 'public'),
    record(ids.rejected, 'REJECTED', 'public'),
    record(ids.readyPrivate, 'READY', 'private'),
  ]) {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: imagePk(r.imageId), sk: IMAGE_SK, ...r, ...indexKeys(r) },
      }),
    );
  }
  db.destroy();
}, 180_000);

afterAll(async () => {
  await live?.close();
});

test('the outputs carry the local GraphQL URL under GraphQlUrl', () => {
  expect(url).toMatch(new RegExp(`^${live.sandbox.endpoint}/_appsync/[a-z0-9]{26}/graphql$`));
});

describe('the API-field matrix (rows: the backend field grants)', () => {
  test('every granted field has a request here, and every request a grant', () => {
    expect(Object.keys(FIELD_QUERIES).sort()).toEqual(Object.keys(FIELD_ACCESS).sort());
  });

  test.each(Object.keys(FIELD_ACCESS))(
    '%s: allowed or 401 for guest, user A, user B, admin',
    async (field) => {
      for (const who of [guest, userA, userB, admin]) {
        const answer = await ask(who.credentials, FIELD_QUERIES[field]!);
        const allowed = FIELD_ACCESS[field]!.includes(roleOf(who));
        const outcome = `${field} as ${who.name}: ${answer.status} ${JSON.stringify(answer.body)}`;
        if (allowed) {
          // Through IAM to the function: data, or the function's own verdict on a missing image.
          expect(outcome).toMatch(new RegExp(`^${field} as ${who.name}: 200 `));
          for (const error of answer.body.errors ?? []) expect(error.errorType).toBe('NotFound');
        } else {
          expect(outcome).toMatch(new RegExp(`^${field} as ${who.name}: 401 `));
          expect(answer.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
          expect(answer.body.errors).toEqual([
            {
              errorType: 'UnauthorizedException',
              message: `Not Authorized to access ${field.split('.')[1]} on type ${field.split('.')[0]}`,
            },
          ]);
        }
      }
    },
  );
});

describe('data rules, in the function, seen through the API', () => {
  const owned = '{ imageId title status rejectionReason originalKey originalBytes createdAt }';

  test('a guest sees only the READY public image, without owner-only fields', async () => {
    const feed = await ask(guest.credentials, `{ publicImages { items ${owned} nextToken } }`);
    expect(feed.status).toBe(200);
    const items = (feed.body.data!.publicImages as { items: Array<Record<string, unknown>> }).items;
    expect(items.map((i) => i.imageId)).toEqual([ids.readyPublic]);
    expect(items[0]).toMatchObject({
      status: null,
      rejectionReason: null,
      originalKey: null,
      originalBytes: null,
    });
    for (const hidden of [ids.processing, ids.hidden, ids.rejected, ids.readyPrivate]) {
      const one = await ask(guest.credentials, `query One($id: ID!) { publicImage(imageId: $id) ${owned} }`, {
        id: hidden,
      });
      expect(one.body).toEqual({ data: { publicImage: null } });
    }
  });

  test('the owner sees every state with its owner-only fields; user B does not', async () => {
    const mine = await ask(userA.credentials, `{ myImages { items ${owned} } }`);
    const items = (mine.body.data!.myImages as { items: Array<Record<string, unknown>> }).items;
    expect(items.map((i) => i.imageId).sort()).toEqual(Object.values(ids).sort());
    expect(items.find((i) => i.imageId === ids.rejected)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Not an image.',
    });
    expect(items.every((i) => typeof i.createdAt === 'string')).toBe(true);
    const others = await ask(userB.credentials, `{ myImages { items { imageId } } }`);
    expect(others.body).toEqual({ data: { myImages: { items: [] } } });
    const peek = await ask(userB.credentials, `query P($id: ID!) { image(imageId: $id) ${owned} }`, {
      id: ids.readyPrivate,
    });
    expect(peek.body).toEqual({ data: { image: null } });
  });

  test("user B cannot edit user A's image: a field error, the field nulled", async () => {
    const edit = await ask(
      userB.credentials,
      'mutation E($id: ID!) { updateImage(imageId: $id, title: "mine now") { imageId title } }',
      {
        id: ids.readyPublic,
      },
    );
    expect(edit.status).toBe(200);
    expect(edit.body.data).toBeNull();
    expect(edit.body.errors).toEqual([
      expect.objectContaining({
        path: ['updateImage'],
        errorType: 'Unauthorized',
        errorInfo: null,
        data: null,
        message: 'This image is not yours.',
      }),
    ]);
    const own = await ask(
      userA.credentials,
      'mutation E($id: ID!) { updateImage(imageId: $id, title: "renamed") { title } }',
      {
        id: ids.readyPublic,
      },
    );
    expect(own.body).toEqual({ data: { updateImage: { title: 'renamed' } } });
  });

  test("the event carries the caller's identity id (the profile is the caller's own)", async () => {
    await ask(userA.credentials, 'mutation { updateProfile(displayName: "Ana") { displayName } }');
    const a = await ask(userA.credentials, '{ myProfile { identityId displayName } }');
    expect(a.body).toEqual({ data: { myProfile: { identityId: userA.identityId, displayName: 'Ana' } } });
    const b = await ask(userB.credentials, '{ myProfile { identityId displayName } }');
    expect(b.body).toEqual({ data: { myProfile: { identityId: userB.identityId, displayName: null } } });
    // The api function reads the owners' names with BatchGetItem, under its role's grants here.
    const feed = await ask(guest.credentials, '{ publicImages { items { imageId ownerName } } }');
    expect(feed.body).toEqual({
      data: { publicImages: { items: [{ imageId: ids.readyPublic, ownerName: 'Ana' }] } },
    });
  });

  test("a function error's name is the errorType, its message the message", async () => {
    const tooLong = await ask(
      userA.credentials,
      'mutation T($id: ID!, $t: String) { updateImage(imageId: $id, title: $t) { title } }',
      {
        id: ids.readyPublic,
        t: 'x'.repeat(10_000),
      },
    );
    expect(tooLong.status).toBe(200);
    expect(tooLong.body.errors?.[0]).toMatchObject({ errorType: 'BadRequest', path: ['updateImage'] });
  });
});

describe("AppSync's answers to bad requests", () => {
  const feed = '{ publicImages { items { imageId } } }';

  test('no credentials: 401 UnauthorizedException; a wrong secret: 403 InvalidSignatureException', async () => {
    const anonymous = await ask(undefined, feed);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
    expect(anonymous.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
    const forged = await ask({ ...guest.credentials, secretAccessKey: 'not-the-secret' }, feed);
    expect(forged.status).toBe(403);
    expect(forged.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    const otherService = await graphql(url, guest.credentials, { query: feed }, 'eu-west-1');
    expect(otherService.status).toBe(403);
  });

  test('one denied field denies the whole operation, even inside a fragment', async () => {
    const mixed = await ask(
      guest.credentials,
      'query { publicImages { items { imageId } } ...F } fragment F on Query { myProfile { identityId } }',
    );
    expect(mixed.status).toBe(401);
    expect(mixed.body.errors?.[0]?.message).toBe('Not Authorized to access myProfile on type Query');
  });

  test('malformed JSON, a missing query, unknown fields and operation names: 400', async () => {
    expect((await graphql(url, guest.credentials, '{"query": ')).status).toBe(400);
    expect((await graphql(url, guest.credentials, '[]')).body.errors?.[0]?.errorType).toBe(
      'MalformedHttpRequestException',
    );
    const unknown = await ask(guest.credentials, '{ allImages { imageId } }');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.message).toContain('Cannot query field "allImages"');
    const named = await graphql(url, guest.credentials, { query: `query A ${feed}`, operationName: 'B' });
    expect(named.status).toBe(400);
    expect(named.body.errors?.[0]?.message).toBe('Unknown operation named "B".');
  });

  test('huge bodies, token floods and deep nesting are refused before any work', async () => {
    const huge = await graphql(url, guest.credentials, {
      query: `{ publicImages { items { imageId } } } #${'x'.repeat(1_100_000)}`,
    });
    expect(huge.status).toBe(413);
    const flood = await ask(guest.credentials, `{ ${'publicImages { nextToken } '.repeat(20_000)} }`);
    expect(flood.status).toBe(400);
    expect(flood.body.errors?.[0]?.message).toContain('more that 15000 tokens');
    const started = Date.now();
    const deep = await ask(guest.credentials, `${'{ a '.repeat(4000)}${'}'.repeat(4000)}`);
    expect(deep.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('introspection answers an authorized caller; subscriptions are refused clearly', async () => {
    const schema = await ask(
      guest.credentials,
      '{ __schema { queryType { name } } __type(name: "Image") { fields { name } } }',
    );
    expect(schema.status).toBe(200);
    expect(schema.body.data).toMatchObject({ __schema: { queryType: { name: 'Query' } } });
    expect(await ask(undefined, '{ __schema { queryType { name } } }')).toMatchObject({ status: 401 });
    const sub = await graphql(url, guest.credentials, { query: 'subscription { s }' });
    expect(sub.status).toBe(501);
    expect(sub.body.errors?.[0]).toMatchObject({ errorType: 'NotImplemented' });
    expect(sub.body.errors?.[0]?.message).toContain('real-time');
  });

  test("CORS: the preflight for Amplify's signed POST is answered; unknown APIs are 404", async () => {
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers':
          'authorization,content-type,x-amz-date,x-amz-security-token,x-amz-user-agent',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-amz-security-token');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const other = await graphql(url.replace(/_appsync\/[a-z0-9]+/, '_appsync/nosuchapi'), guest.credentials, {
      query: feed,
    });
    expect(other.status).toBe(404);
  });
});

describe("the api function's own role, outside its grants", () => {
  let api: SessionCredentials;
  beforeAll(async () => {
    api = await functionSession((env) => env.CURSOR_KEY_SECRET_ARN !== undefined);
  });

  test('cannot call the API itself', async () => {
    const answer = await ask(api, '{ publicImages { items { imageId } } }');
    expect(answer.status).toBe(401);
  });

  test('cannot scan the table or write a user folder', async () => {
    const db = new DynamoDBClient({
      region: live.region,
      endpoint: live.sandbox.endpoint,
      credentials: api,
      maxAttempts: 1,
    });
    await expect(db.send(new ScanCommand({ TableName: tableName }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    db.destroy();
    const s3 = new S3Client({
      region: live.region,
      endpoint: live.sandbox.endpoint,
      forcePathStyle: true,
      credentials: api,
      maxAttempts: 1,
    });
    await expect(
      s3.send(
        new PutObjectCommand({ Bucket: live.bucket, Key: `private/${userA.identityId}/x.jpg`, Body: 'x' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    s3.destroy();
  });
});
