/**
 * Two distributions with an S3 origin (OAC) in front of the S3 test server, served by the
 * CloudFront viewer service on a port of their own at `<url>/<distribution id>/<path>`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import type { Clock } from '../../src/core/clock';
import { MemoryLogger } from '../../src/core/logger';
import { MANAGED_CACHE_POLICIES } from '../../src/deploy/cloudfront-managed';
import type {
  BucketSpec,
  CachePolicySpec,
  DeployedModel,
  DistributionSpec,
  RoleSpec,
} from '../../src/deploy/model';
import { createS3Authorizer } from '../../src/iam/authorizer';
import type { PolicyDocument } from '../../src/iam/types';
import { createCloudFrontService } from '../../src/services/cloudfront';
import { EdgeCache } from '../../src/services/cloudfront/cache';
import { ACCOUNT, BUCKET, startS3TestServer, testModel, type S3TestServer } from './s3-test-server';

export const DIST = 'E2SANDBOXDIST1';
export const OTHER = 'E2SANDBOXDIST2';
export const CACHING_OPTIMIZED = MANAGED_CACHE_POLICIES['658327ea-f89d-4fab-a63d-7e88639e58f6']!;
export const CACHING_DISABLED = MANAGED_CACHE_POLICIES['4135ea2d-6df8-44a3-9df3-4b5a84be39ad']!;
export const distributionArn = (id: string) => `arn:aws:cloudfront::${ACCOUNT}:distribution/${id}`;
export const SECURITY_HEADERS = {
  'strict-transport-security': 'max-age=31536000',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'content-security-policy': "default-src 'none'; img-src 'self'; sandbox",
  'content-disposition': 'inline',
};

/** The OAC grant of the app's bucket policy on `resource`, plus its TLS deny. */
export function oacPolicy(resource: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/${resource}`,
        Condition: { StringEquals: { 'AWS:SourceArn': distributionArn(DIST) } },
      },
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

export function distribution(
  id: string,
  originPath = '/public',
  cachePolicy: CachePolicySpec = CACHING_OPTIMIZED,
): DistributionSpec {
  return {
    id,
    arn: distributionArn(id),
    domainName: `${id.toLowerCase()}.cloudfront.net`,
    origins: new Map([
      ['S3Origin', { id: 'S3Origin', bucketName: BUCKET, originPath, originAccessControl: true }],
    ]),
    defaultBehavior: {
      targetOriginId: 'S3Origin',
      allowedMethods: ['GET', 'HEAD'],
      viewerProtocolPolicy: 'redirect-to-https',
      responseHeaders: SECURITY_HEADERS,
      cachePolicy,
    },
  };
}

export interface Edge {
  s3: S3TestServer;
  url: string;
  logger: MemoryLogger;
  cache: EdgeCache;
  model: DeployedModel;
  put(key: string, body: string | Buffer, extra?: Partial<PutObjectCommandInput>): Promise<void>;
  close(): Promise<void>;
}

export interface EdgeOptions {
  readonly originPath?: string;
  readonly cachePolicy?: CachePolicySpec;
  /** The edge's clock (the S3 server keeps real time, which the SDK's signatures need). */
  readonly clock?: Clock;
  readonly cache?: EdgeCache;
  readonly roles?: readonly RoleSpec[];
}

export async function startEdge(bucket: BucketSpec, options: EdgeOptions = {}): Promise<Edge> {
  const model: DeployedModel = {
    ...testModel(
      [bucket],
      [distribution(DIST, options.originPath, options.cachePolicy), distribution(OTHER)],
    ),
    roles: new Map((options.roles ?? []).map((r) => [r.arn, r])),
  };
  const s3 = await startS3TestServer({ model });
  const logger = new MemoryLogger();
  const cache = options.cache ?? new EdgeCache();
  const cloudfront = createCloudFrontService({
    model,
    s3: s3.service.store,
    authorize: createS3Authorizer(model),
    logger,
    cache,
    clock: options.clock,
  });
  const server: Server = createServer((req, res) => {
    const m = /^\/([A-Z0-9]+)(\/[^?]*)?(?:\?(.*))?$/.exec(req.url ?? '/');
    void cloudfront.handle(
      req,
      res,
      { distributionId: m?.[1] ?? '', rawPath: m?.[2] ?? '/', rawQuery: m?.[3] ?? '' },
      { sourceIp: '127.0.0.1', requestId: randomUUID() },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const put = async (Key: string, Body: string | Buffer, extra: Partial<PutObjectCommandInput> = {}) => {
    await s3
      .client()
      .send(new PutObjectCommand({ Bucket: BUCKET, Key, Body, ContentType: 'image/png', ...extra }));
  };
  await put('public/idA/cat.png', 'cat-bytes');
  await put('public/idA/photo 1.png', 'spaced');
  await put('protected/idA/secret.png', 'protected-bytes');
  await put('private/idA/diary.png', 'private-bytes');
  return {
    s3,
    url,
    logger,
    cache,
    model,
    put,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await s3.close();
    },
  };
}
