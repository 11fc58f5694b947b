/** @jest-environment node */
import { join } from 'node:path';
import { findOutputs, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { readCdkOutputs } from '@image-share/contracts/outputs-file';
import { ApiError } from '@/lib/api/operations';
import { guestApi, NO_DATA_API } from '@/lib/api/server';
import type { AppConfig } from '@/lib/config';
import { fakeAws, GUEST, type GraphQlAnswer } from './helpers/fake-aws';
import { imageRecord } from './helpers/image-record';

const outputs = findOutputs(readCdkOutputs(join(__dirname, '..', '..', 'outputs.json.example')));
const GRAPHQL_URL = outputs.graphQlUrl as string;

function appConfig(withApi: boolean): AppConfig {
  const amplify = toAmplifyOutputs(withApi ? outputs : { ...outputs, graphQlUrl: undefined });
  return {
    source: 'outputs.json',
    mode: 'aws',
    amplify: { outputs: amplify as unknown as Record<string, unknown> },
    region: outputs.region,
    bucketName: outputs.bucketName,
    userPoolClientId: outputs.userPoolClientId,
    publicBaseUrl: outputs.publicBaseUrl,
  };
}

const IMAGE = imageRecord();

let answer: (body: { query: string; variables: unknown }) => GraphQlAnswer;
let aws: ReturnType<typeof fakeAws>;

beforeEach(() => {
  aws = fakeAws(GRAPHQL_URL, (body) => answer(body));
});
afterEach(() => aws.restore());

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('the guests’ data API on the server', () => {
  test('asks for the public feed with the page token, signed with guest credentials for AppSync', async () => {
    answer = () => ({ body: { data: { publicImages: { items: [IMAGE], nextToken: 'next-page' } } } });
    const page = await guestApi(appConfig(true)).publicImages({ nextToken: 'this-page' });
    expect(page).toEqual({ items: [IMAGE], nextToken: 'next-page' });

    const [request] = aws.graphqlRequests();
    expect(JSON.parse(request?.body ?? '')).toMatchObject({
      query: expect.stringContaining('publicImages(limit: $limit, nextToken: $nextToken)'),
      variables: { nextToken: 'this-page' },
    });
    expect(request?.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${GUEST.accessKeyId}/\\d{8}/eu-west-1/appsync/aws4_request`),
    );
    expect(request?.headers['x-amz-security-token']).toBe('guest-session');
  });

  test('one public image, or null when the API has none', async () => {
    answer = ({ variables }) => ({
      body: {
        data: { publicImage: (variables as { imageId: string }).imageId === IMAGE.imageId ? IMAGE : null },
      },
    });
    const api = guestApi(appConfig(true));
    await expect(api.publicImage({ imageId: IMAGE.imageId })).resolves.toEqual(IMAGE);
    await expect(api.publicImage({ imageId: 'BBBBBBBBBBBBBBBBBBBBBB' })).resolves.toBeNull();
  });

  test('a resolver error keeps its errorType and message', async () => {
    answer = () => ({
      body: {
        data: { publicImages: null },
        errors: [{ errorType: 'BadRequest', message: 'nextToken is not valid' }],
      },
    });
    const error = await rejection(guestApi(appConfig(true)).publicImages({ nextToken: 'forged' }));
    expect(error.type).toBe('BadRequest');
    expect(error.message).toBe('nextToken is not valid');
  });

  test('an IAM refusal (401 from AppSync) is UnauthorizedException', async () => {
    answer = () => ({
      status: 401,
      // As AppSync answers a request IAM denies.
      headers: { 'x-amzn-ErrorType': 'UnauthorizedException' },
      body: {
        errors: [
          {
            errorType: 'UnauthorizedException',
            message: 'Not Authorized to access publicImages on type Query',
          },
        ],
      },
    });
    const error = await rejection(guestApi(appConfig(true)).publicImages({}));
    expect(error.type).toBe('UnauthorizedException');
  });

  test('an API that cannot be reached is a NetworkError', async () => {
    answer = () => new TypeError('fetch failed');
    const error = await rejection(guestApi(appConfig(true)).publicImages({}));
    expect(error.type).toBe('NetworkError');
  });

  test('an answer without the asked field is refused, not passed on as undefined', async () => {
    answer = () => ({ body: { data: { somethingElse: true } } });
    const error = await rejection(guestApi(appConfig(true)).publicImages({}));
    expect(error).toMatchObject({
      type: 'BadResponse',
      message: expect.stringMatching(/PublicImages has no publicImages/),
    });
  });

  test('outputs without a GraphQlUrl say so before any request', () => {
    expect(() => guestApi(appConfig(false))).toThrow(NO_DATA_API);
    expect(aws.seen).toEqual([]);
  });
});
