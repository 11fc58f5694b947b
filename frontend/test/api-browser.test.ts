/** @jest-environment node */
import { join } from 'node:path';
import { findOutputs, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { readCdkOutputs } from '@image-share/contracts/outputs-file';
import { configureAmplify } from '@/lib/amplify-browser';
import { userApi } from '@/lib/api/browser';
import { ApiError } from '@/lib/api/operations';
import { fakeAws, GUEST, type GraphQlAnswer } from './helpers/fake-aws';

const outputs = findOutputs(readCdkOutputs(join(__dirname, '..', '..', 'outputs.json.example')));
const GRAPHQL_URL = outputs.graphQlUrl as string;

let answer: (body: { query: string; variables: unknown }) => GraphQlAnswer;
let aws: ReturnType<typeof fakeAws>;

beforeAll(() => {
  configureAmplify({ outputs: toAmplifyOutputs(outputs) as unknown as Record<string, unknown> });
});
beforeEach(() => {
  aws = fakeAws(GRAPHQL_URL, (body) => answer(body));
});
afterEach(() => aws.restore());

describe('the data API in the browser', () => {
  test('sends a mutation with its variables, signed for AppSync with the identity’s credentials', async () => {
    answer = () => ({
      body: { data: { setVisibility: { imageId: 'AAAAAAAAAAAAAAAAAAAAAA', visibility: 'PUBLIC' } } },
    });
    await expect(
      userApi().setVisibility({ imageId: 'AAAAAAAAAAAAAAAAAAAAAA', visibility: 'PUBLIC' }),
    ).resolves.toMatchObject({ visibility: 'PUBLIC' });
    const [request] = aws.graphqlRequests();
    expect(JSON.parse(request?.body ?? '')).toMatchObject({
      query: expect.stringContaining('mutation SetVisibility'),
      variables: { imageId: 'AAAAAAAAAAAAAAAAAAAAAA', visibility: 'PUBLIC' },
    });
    expect(request?.headers.authorization).toMatch(
      new RegExp(`Credential=${GUEST.accessKeyId}/\\d{8}/eu-west-1/appsync/aws4_request`),
    );
  });

  test('the api function’s refusal arrives as an ApiError with its type', async () => {
    answer = () => ({
      body: { data: null, errors: [{ errorType: 'Unauthorized', message: 'This image is not yours.' }] },
    });
    const failure = userApi().deleteImage({ imageId: 'AAAAAAAAAAAAAAAAAAAAAA' });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({
      type: 'Unauthorized',
      message: 'This image is not yours.',
    });
  });
});
