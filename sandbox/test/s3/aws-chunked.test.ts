import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { AwsChunkedDecoder } from '../../src/services/s3/aws-chunked';
import { crc32c } from '../../src/services/s3/checksums';
import { errorCode, signedFetch, signerFor } from '../helpers/s3-signing';
import { BUCKET, startS3TestServer, type S3TestServer } from '../helpers/s3-test-server';

function frame(chunks: Buffer[], trailer?: string): Buffer {
  const parts: Buffer[] = [];
  for (const c of chunks) parts.push(Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n'));
  parts.push(Buffer.from(`0\r\n${trailer ? `${trailer}\r\n` : ''}\r\n`));
  return Buffer.concat(parts);
}

function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
}

async function decodeAll(decoder: AwsChunkedDecoder, pieces: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of decoder.decode(
    (async function* () {
      yield* pieces;
    })(),
  ))
    out.push(chunk);
  return Buffer.concat(out);
}

describe('AwsChunkedDecoder', () => {
  test('decodes data and trailers whatever the network splits the framing into', async () => {
    const data = randomBytes(5000);
    const body = frame(
      [data.subarray(0, 4096), data.subarray(4096)],
      `x-amz-checksum-crc32:${crc32Base64(data)}`,
    );
    for (const size of [1, 2, 3, 7, 100, body.length]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < body.length; i += size) pieces.push(body.subarray(i, i + size));
      const decoder = new AwsChunkedDecoder();
      expect((await decodeAll(decoder, pieces)).equals(data)).toBe(true);
      expect(decoder.trailers.get('x-amz-checksum-crc32')).toBe(crc32Base64(data));
    }
  });

  test('a body that stops before the final chunk is IncompleteBody', async () => {
    const body = frame([Buffer.from('hello')]);
    await expect(decodeAll(new AwsChunkedDecoder(), [body.subarray(0, 8)])).rejects.toMatchObject({
      code: 'IncompleteBody',
    });
  });

  test('junk instead of a chunk size is rejected', async () => {
    await expect(
      decodeAll(new AwsChunkedDecoder(), [Buffer.from('zz\r\nhello\r\n0\r\n\r\n')]),
    ).rejects.toMatchObject({ code: 'InvalidRequest' });
  });
});

test('CRC32C matches the RFC 3720 check value', () => {
  expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283');
  expect(crc32c(Buffer.from('6789'), crc32c(Buffer.from('12345')))).toBe(crc32c(Buffer.from('123456789')));
});

describe('aws-chunked over HTTP', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3TestServer();
  });
  afterAll(async () => server.close());

  const unsignedTrailer = (data: Buffer, trailerValue: string) => ({
    method: 'PUT',
    body: frame([data], `x-amz-checksum-crc32:${trailerValue}`),
    payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    headers: {
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(data.length),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    },
  });

  test('a wrong CRC32 in the trailer is BadDigest and stores nothing', async () => {
    const data = Buffer.from('trailer body');
    const res = await signedFetch(server.endpoint, server.user, {
      path: `/${BUCKET}/chunked/bad-crc`,
      ...unsignedTrailer(data, 'AAAAAA=='),
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('BadDigest');
    expect(server.service.store.bucket(BUCKET)!.get('chunked/bad-crc')).toBeUndefined();
  });

  test('a body shorter than x-amz-decoded-content-length is IncompleteBody', async () => {
    const data = Buffer.from('short');
    const req = unsignedTrailer(data, crc32Base64(data));
    const res = await signedFetch(server.endpoint, server.user, {
      path: `/${BUCKET}/chunked/short`,
      ...req,
      headers: { ...req.headers, 'x-amz-decoded-content-length': '50' },
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('IncompleteBody');
  });

  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD: each chunk signed, chained from the request's seed signature. */
  async function signedStreamingPut(key: string, chunks: Buffer[], tamper = false): Promise<Response> {
    const signingDate = new Date();
    const amzDate = signingDate.toISOString().replace(/[-:]|\.\d{3}/g, '');
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const signer = signerFor(server.user);
    const url = new URL(server.endpoint);
    const headers = {
      host: url.host,
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(total),
    };
    const signed = await signer.sign(
      {
        method: 'PUT',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: `/${BUCKET}/${key}`,
        query: {},
        headers,
      },
      { signingDate },
    );
    let previous = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))![1]!;
    const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
    const empty = createHash('sha256').digest('hex');
    const framed: Buffer[] = [];
    for (const chunk of [...chunks, Buffer.alloc(0)]) {
      const stringToSign = [
        'AWS4-HMAC-SHA256-PAYLOAD',
        amzDate,
        scope,
        previous,
        empty,
        createHash('sha256').update(chunk).digest('hex'),
      ].join('\n');
      const signature = await signer.sign(stringToSign, { signingDate });
      framed.push(
        Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`),
        tamper ? Buffer.from(chunk.toString().toUpperCase()) : chunk,
        Buffer.from('\r\n'),
      );
      previous = signature;
    }
    const send = { ...signed.headers } as Record<string, string>;
    delete send.host;
    return fetch(`${server.endpoint}/${BUCKET}/${key}`, {
      method: 'PUT',
      headers: send,
      body: Buffer.concat(framed),
    });
  }

  test('signed streaming chunks are verified one by one and stored', async () => {
    const res = await signedStreamingPut('chunked/signed', [
      Buffer.from('first chunk '),
      Buffer.from('second chunk'),
    ]);
    expect(res.status).toBe(200);
    const got = await server.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'chunked/signed' }));
    expect(await got.Body!.transformToString()).toBe('first chunk second chunk');
  });

  test('a chunk altered after signing is SignatureDoesNotMatch', async () => {
    const res = await signedStreamingPut(
      'chunked/tampered',
      [Buffer.from('first chunk '), Buffer.from('second chunk')],
      true,
    );
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('SignatureDoesNotMatch');
    expect(server.service.store.bucket(BUCKET)!.get('chunked/tampered')).toBeUndefined();
  });
});
