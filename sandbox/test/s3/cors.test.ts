import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  APP_ORIGIN,
  BUCKET,
  bucketSpec,
  startS3TestServer,
  testModel,
  type S3TestServer,
} from '../helpers/s3-test-server';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3TestServer({
    model: testModel([bucketSpec(), bucketSpec({ name: 'no-cors-bucket', cors: [] })]),
  });
});
afterAll(async () => server.close());

const preflight = (
  origin: string,
  method: string,
  headers = 'content-type,x-amz-date,authorization',
  bucket = BUCKET,
) =>
  fetch(`${server.endpoint}/${bucket}/public/x.png`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

test('an allowed preflight echoes origin, methods and requested headers, exposes ETag and sets Max-Age', async () => {
  const res = await preflight(APP_ORIGIN, 'PUT');
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, PUT, POST, DELETE');
  expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-date, authorization');
  expect(res.headers.get('access-control-expose-headers')).toBe(
    'ETag, x-amz-version-id, Content-Length, Content-Type, Last-Modified',
  );
  expect(res.headers.get('access-control-max-age')).toBe('3000');
});

test('a preflight from another origin is 403 AccessForbidden', async () => {
  const res = await preflight('https://evil.example', 'GET');
  expect(res.status).toBe(403);
  expect(await res.text()).toContain('<Code>AccessForbidden</Code>');
});

test('a preflight for a method no rule allows is 403', async () => {
  expect((await preflight(APP_ORIGIN, 'PATCH')).status).toBe(403);
});

test('a bucket without CORS rules refuses every preflight', async () => {
  const res = await preflight(APP_ORIGIN, 'GET', '', 'no-cors-bucket');
  expect(res.status).toBe(403);
  expect(await res.text()).toContain('CORS is not enabled');
});

test('actual responses, errors included, carry Allow-Origin and Expose-Headers for an allowed origin', async () => {
  await server.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'public/x.png', Body: 'x' }));
  const presignless = await fetch(`${server.endpoint}/${BUCKET}/public/x.png`, {
    headers: { origin: APP_ORIGIN },
  });
  expect(presignless.status).toBe(403);
  expect(presignless.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  expect(presignless.headers.get('access-control-expose-headers')).toContain('x-amz-version-id');
  const other = await fetch(`${server.endpoint}/${BUCKET}/public/x.png`, {
    headers: { origin: 'https://evil.example' },
  });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
});

test('a wildcard in AllowedOrigins matches any origin of that shape', async () => {
  const wild = await startS3TestServer({
    model: testModel([
      bucketSpec({
        cors: [
          {
            allowedOrigins: ['https://*.example.com'],
            allowedMethods: ['GET'],
            allowedHeaders: [],
            exposedHeaders: [],
          },
        ],
      }),
    ]),
  });
  try {
    const ok = await fetch(`${wild.endpoint}/${BUCKET}/k`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    expect(ok.status).toBe(200);
    const no = await fetch(`${wild.endpoint}/${BUCKET}/k`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.org', 'access-control-request-method': 'GET' },
    });
    expect(no.status).toBe(403);
  } finally {
    await wild.close();
  }
});
