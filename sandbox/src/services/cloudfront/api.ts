/**
 * CloudFront's API (REST/XML, version 2020-05-31) as far as the app uses it: CreateInvalidation,
 * GetInvalidation and ListInvalidations, so that `@aws-sdk/client-cloudfront` in the functions
 * (with AWS_ENDPOINT_URL at the sandbox) really empties the edge cache. Every request is SigV4
 * with service `cloudfront`, then `cloudfront:<Operation>` on the distribution's ARN for the
 * caller's role, then the distribution is looked up (IAM first, as AWS: a caller without the
 * grant learns nothing about which distributions exist). Every other operation answers 501.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { XMLBuilder } from 'fast-xml-parser';
import type { Clock } from '../../core/clock';
import type { CredentialStore } from '../../core/credentials';
import { AwsError, notImplemented } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { verifyRestSignature } from '../../core/rest-sigv4';
import type { RequestMeta, RestService } from '../../core/service';
import type { DeployedModel } from '../../deploy/model';
import { authorizeRoleAction } from '../../iam/authorizer';
import { readBody } from '../../server';
import { parseXml } from '../s3/xml';
import { cloudFrontErrors, type Invalidation, type InvalidationStore } from './invalidations';

export const CLOUDFRONT_API_VERSION = '2020-05-31';
const NAMESPACE = `http://cloudfront.amazonaws.com/doc/${CLOUDFRONT_API_VERSION}/`;
/** 3000 paths of up to 4000 characters fit; a body beyond that is refused before it is parsed. */
const BODY_LIMIT = 16 * 1024 * 1024;
const MAX_LIST_ITEMS = 100;

export interface CloudFrontApiTarget {
  /** The path after `/2020-05-31`, still percent-encoded. */
  readonly rawPath: string;
  readonly rawQuery: string;
  /** The full path the client signed. */
  readonly signedPath: string;
}

export interface CloudFrontApiOptions {
  readonly model: DeployedModel;
  readonly invalidations: InvalidationStore;
  readonly credentials: CredentialStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

const signatureErrors = {
  missingAuthentication: () =>
    new AwsError('MissingAuthenticationToken', 'Missing Authentication Token', 403),
  unrecognizedClient: () =>
    new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
  expiredToken: () =>
    new AwsError('ExpiredToken', 'The security token included in the request is expired', 403),
  invalidSignature: (message: string) => new AwsError('SignatureDoesNotMatch', message, 403),
};

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

export function createCloudFrontApi(options: CloudFrontApiOptions): RestService<CloudFrontApiTarget> {
  return {
    async handle(req: IncomingMessage, res: ServerResponse, target: CloudFrontApiTarget, meta: RequestMeta) {
      try {
        const { status, body, headers } = await route(options, req, target, meta);
        send(res, status, body, { ...headers, 'x-amzn-requestid': meta.requestId });
      } catch (err) {
        const error = err instanceof AwsError ? err : new AwsError('InternalError', 'Internal error', 500);
        if (!(err instanceof AwsError))
          options.logger.error('CloudFront API failed', {
            error: err instanceof Error ? err.stack : String(err),
          });
        else
          options.logger.info(`cloudfront ${req.method} ${target.rawPath} -> ${error.code}`, {
            message: error.message,
          });
        send(res, error.status, errorDocument(error, meta.requestId), {
          'x-amzn-requestid': meta.requestId,
          'x-amzn-errortype': error.code,
        });
      }
    },
  };
}

async function route(
  options: CloudFrontApiOptions,
  req: IncomingMessage,
  target: CloudFrontApiTarget,
  meta: RequestMeta,
): Promise<{ status: number; body: string; headers?: Record<string, string> }> {
  const method = req.method ?? 'GET';
  const m = /^\/distribution\/([^/]+)\/invalidation(?:\/([^/]+))?$/.exec(target.rawPath);
  const operation =
    m === null
      ? undefined
      : method === 'POST' && m[2] === undefined
        ? 'CreateInvalidation'
        : method === 'GET' && m[2] === undefined
          ? 'ListInvalidations'
          : method === 'GET'
            ? 'GetInvalidation'
            : undefined;
  const body = await readBody(req, BODY_LIMIT).catch((err: unknown) => {
    if (err instanceof AwsError && err.status === 413) throw cloudFrontErrors.batchTooLarge();
    throw err;
  });
  const credentials = await verifyRestSignature(
    { method, rawPath: target.signedPath, rawQuery: target.rawQuery, headers: req.headers, body },
    options.credentials,
    options.clock,
    // CloudFront is global and signed in us-east-1; a client with a custom endpoint signs in its own region.
    { service: 'cloudfront', regions: ['us-east-1', options.model.region] },
    signatureErrors,
  );
  if (operation === undefined || m === null)
    throw notImplemented(`CloudFront ${method} /${CLOUDFRONT_API_VERSION}${target.rawPath}`);

  const distributionId = decode(m[1]!);
  const arn = `arn:aws:cloudfront::${options.model.accountId}:distribution/${distributionId}`;
  const decision = authorizeRoleAction(
    options.model,
    credentials,
    `cloudfront:${operation}`,
    arn,
    options.clock,
  );
  if (decision.decision !== 'Allow') {
    options.logger.warn('AccessDenied', {
      action: `cloudfront:${operation}`,
      resource: arn,
      principal: credentials.assumedRoleArn,
      decision: decision.decision,
      requestId: meta.requestId,
    });
    throw new AwsError(
      'AccessDenied',
      `User: ${credentials.assumedRoleArn} is not authorized to perform: cloudfront:${operation} on resource: ${arn}`,
      403,
    );
  }
  if (!options.model.distributions.has(distributionId)) throw cloudFrontErrors.noSuchDistribution();

  switch (operation) {
    case 'CreateInvalidation': {
      const { callerReference, paths } = parseBatch(body);
      const invalidation = await options.invalidations.create(distributionId, callerReference, paths);
      const host = req.headers.host ?? '127.0.0.1';
      return {
        status: 201,
        body: document('Invalidation', invalidationXml(invalidation)),
        headers: {
          location: `http://${host}/${CLOUDFRONT_API_VERSION}/distribution/${distributionId}/invalidation/${invalidation.id}`,
        },
      };
    }
    case 'GetInvalidation': {
      const invalidation = options.invalidations.get(distributionId, decode(m[2]!));
      return { status: 200, body: document('Invalidation', invalidationXml(invalidation)) };
    }
    case 'ListInvalidations': {
      const query = new URLSearchParams(target.rawQuery);
      const marker = query.get('Marker') || undefined;
      const maxText = query.get('MaxItems');
      const maxItems = maxText === null ? MAX_LIST_ITEMS : Number(maxText);
      if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > MAX_LIST_ITEMS)
        throw cloudFrontErrors.invalidArgument(`MaxItems must be an integer from 1 to ${MAX_LIST_ITEMS}.`);
      const page = options.invalidations.list(distributionId, marker, maxItems);
      return {
        status: 200,
        body: document('InvalidationList', {
          Marker: marker ?? '',
          ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
          MaxItems: maxItems,
          IsTruncated: page.nextMarker !== undefined,
          Quantity: page.items.length,
          ...(page.items.length > 0
            ? {
                Items: {
                  InvalidationSummary: page.items.map((i) => ({
                    Id: i.id,
                    CreateTime: i.createTime,
                    Status: i.status,
                  })),
                },
              }
            : {}),
        }),
      };
    }
  }
}

/** The InvalidationBatch document, with CloudFront's checks on its shape. */
function parseBatch(body: Buffer): { callerReference: string; paths: string[] } {
  if (body.length === 0) throw new AwsError('MissingBody', 'This operation requires a body.', 400);
  let batch: Record<string, unknown>;
  try {
    batch = parseXml(body.toString('utf8'), 'InvalidationBatch');
  } catch {
    throw new AwsError(
      'MalformedInput',
      'The XML document you provided was not well-formed or did not validate.',
      400,
    );
  }
  const callerReference = batch.CallerReference;
  const paths = batch.Paths;
  if (typeof callerReference !== 'string' || typeof paths !== 'object' || paths === null)
    throw new AwsError('MalformedInput', 'An InvalidationBatch needs CallerReference and Paths.', 400);
  const { Quantity, Items } = paths as Record<string, unknown>;
  const raw =
    typeof Items === 'object' && Items !== null ? (Items as Record<string, unknown>).Path : undefined;
  const items = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (items.some((p) => typeof p !== 'string'))
    throw new AwsError('MalformedInput', 'Every Path must be text.', 400);
  if (typeof Quantity !== 'string' || !/^\d+$/.test(Quantity))
    throw new AwsError('MalformedInput', 'Paths/Quantity must be an integer.', 400);
  if (Number(Quantity) !== items.length) throw cloudFrontErrors.inconsistentQuantities();
  return { callerReference, paths: items as string[] };
}

function invalidationXml(i: Invalidation): Record<string, unknown> {
  return {
    Id: i.id,
    Status: i.status,
    CreateTime: i.createTime,
    InvalidationBatch: {
      Paths: { Quantity: i.paths.length, Items: { Path: i.paths } },
      CallerReference: i.callerReference,
    },
  };
}

function document(root: string, body: Record<string, unknown>): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [root]: { '@_xmlns': NAMESPACE, ...body },
  }) as string;
}

function errorDocument(error: AwsError, requestId: string): string {
  return document('ErrorResponse', {
    Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.code, Message: error.message },
    RequestId: requestId,
  });
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw cloudFrontErrors.invalidArgument('The path has a malformed percent-encoding.');
  }
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  const payload = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-type': 'text/xml', 'content-length': String(payload.length) });
  res.end(payload);
}
