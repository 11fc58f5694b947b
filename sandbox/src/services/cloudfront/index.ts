/**
 * CloudFront in front of an S3 origin: GET/HEAD only, the path mapped under the origin path, every
 * read authorised against the bucket policy as the CloudFront service principal with the
 * distribution's ARN (Origin Access Control), so an over-broad or missing grant shows up locally.
 * There is no cache: every request goes to the origin, and says so in X-Cache.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../../core/logger';
import type { RequestMeta, RestService } from '../../core/service';
import type { DeployedModel, DistributionSpec } from '../../deploy/model';
import { CLOUDFRONT_SERVICE_PRINCIPAL, type S3Authorize, type S3Caller } from '../../iam/authorizer';
import { AwsError } from '../../core/errors';
import { errorXml, readConditions, readObject, s3Errors, type ObjectRead, type S3Store } from '../s3';
import { header } from '../s3/sigv4';

export interface CloudFrontTarget {
  readonly distributionId: string;
  /** The viewer's path, still percent-encoded, e.g. "/abc/photo%201.png". */
  readonly rawPath: string;
}

export interface CloudFrontServiceOptions {
  readonly model: DeployedModel;
  /** The S3 service's object store (read only). */
  readonly s3: S3Store;
  readonly authorize: S3Authorize;
  readonly logger: Logger;
}

class ViewerError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string,
  ) {
    super(`CloudFront ${status}`);
  }
}

export function createCloudFrontService(options: CloudFrontServiceOptions): RestService<CloudFrontTarget> {
  return {
    handle: async (req, res, target, meta) => {
      const distribution = options.model.distributions.get(target.distributionId);
      const edgeHeaders = cloudFrontHeaders(meta);
      if (!distribution) {
        send(
          res,
          req,
          404,
          { ...edgeHeaders, 'content-type': 'text/plain' },
          `No distribution ${target.distributionId} in the deployed templates.\n`,
        );
        return;
      }
      const policyHeaders = distribution.defaultBehavior.responseHeaders;
      try {
        await serve(options, distribution, req, res, target, meta, { ...policyHeaders, ...edgeHeaders });
      } catch (err) {
        if (!(err instanceof ViewerError)) throw err;
        send(
          res,
          req,
          err.status,
          {
            ...policyHeaders,
            ...edgeHeaders,
            'x-cache': 'Error from cloudfront',
            'content-type': err.contentType,
          },
          err.body,
        );
      }
    },
  };
}

async function serve(
  options: CloudFrontServiceOptions,
  distribution: DistributionSpec,
  req: IncomingMessage,
  res: ServerResponse,
  target: CloudFrontTarget,
  meta: RequestMeta,
  headers: Record<string, string>,
): Promise<void> {
  const method = req.method ?? 'GET';
  const allowed = distribution.defaultBehavior.allowedMethods.map((m) => m.toUpperCase());
  if (!allowed.includes(method) || (method !== 'GET' && method !== 'HEAD')) {
    throw new ViewerError(403, methodNotAllowedPage(), 'text/html');
  }
  const origin = distribution.origins.get(distribution.defaultBehavior.targetOriginId);
  if (!origin)
    throw new ViewerError(
      502,
      'The origin of this distribution is not in the deployed templates.\n',
      'text/plain',
    );

  const viewerPath =
    target.rawPath === '/' && distribution.defaultRootObject
      ? `/${distribution.defaultRootObject}`
      : target.rawPath;
  let key: string;
  try {
    key = decodeURIComponent(`${origin.originPath}${viewerPath}`).slice(1);
  } catch {
    throw originError(s3Errors.invalidUri(), meta);
  }

  // Without OAC, CloudFront reaches the origin unsigned: the bucket sees an anonymous caller.
  const caller: S3Caller = origin.originAccessControl
    ? { kind: 'service', service: CLOUDFRONT_SERVICE_PRINCIPAL, sourceArn: distribution.arn }
    : { kind: 'anonymous' };
  const decide = (action: string, objectKey: string | undefined, context?: Record<string, string>) =>
    options.authorize({
      caller,
      action,
      bucket: origin.bucketName,
      key: objectKey,
      secureTransport: true,
      sourceIp: meta.sourceIp,
      context,
    });

  const grant = decide('s3:GetObject', key);
  if (!grant.allowed) {
    options.logger.warn('AccessDenied', {
      action: 's3:GetObject',
      resource: grant.resource,
      principal: caller.kind === 'service' ? `${caller.service} (${caller.sourceArn})` : 'anonymous',
      decision: grant.decision,
      via: `cloudfront ${distribution.id}`,
      requestId: meta.requestId,
    });
    throw originError(s3Errors.accessDenied(), meta);
  }
  const bucket = options.s3.bucket(origin.bucketName);
  if (!bucket) throw originError(s3Errors.accessDenied(), meta);
  const { ifNoneMatch, ifModifiedSince } = readConditions((name) => header(req.headers, name));
  let read: ObjectRead;
  try {
    read = await readObject({
      store: bucket,
      key,
      head: method === 'HEAD',
      // CloudFront answers these two itself; it does not pass If-Match / If-Unmodified-Since on.
      conditions: { ifNoneMatch, ifModifiedSince },
      range: header(req.headers, 'range'),
      now: new Date(),
      // S3 tells a missing key apart only to callers that may list; an OAC grant normally cannot.
      mayList: () => decide('s3:ListBucket', undefined, { 's3:prefix': key }).allowed,
    });
  } catch (err) {
    if (err instanceof AwsError) throw originError(err, meta);
    throw err;
  }

  // What CloudFront forwards from S3 (the object's headers minus the S3-internal version id), under
  // the response headers policy, which wins.
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(read.headers)) {
    if (value !== undefined && name !== 'x-amz-version-id') out[name] = value;
  }
  Object.assign(out, headers);
  if (read.status === 304) {
    send(res, req, 304, out);
    return;
  }
  res.writeHead(read.status, out);
  if (read.stream) await pipeline(read.stream, res).catch(() => read.stream?.destroy());
  else res.end(read.body);
}

/** The origin's error as the viewer sees it: S3's XML error document. */
function originError(error: AwsError, meta: RequestMeta): ViewerError {
  return new ViewerError(
    error.status,
    errorXml(error, meta.requestId, randomBytes(12).toString('base64')),
    'application/xml',
  );
}

function cloudFrontHeaders(meta: RequestMeta): Record<string, string> {
  const edge = randomBytes(16).toString('hex');
  return {
    'x-cache': 'Miss from cloudfront',
    via: `1.1 ${edge}.cloudfront.net (CloudFront)`,
    'x-amz-cf-pop': 'LOCAL1-SANDBOX',
    'x-amz-cf-id': Buffer.from(meta.requestId).toString('base64url'),
  };
}

function methodNotAllowedPage(): string {
  return (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">\n' +
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1"><TITLE>ERROR: The request could not be satisfied</TITLE></HEAD>' +
    '<BODY><H1>403 ERROR</H1><H2>The request could not be satisfied.</H2><HR noshade size="1px">' +
    'This distribution is not configured to allow the HTTP request method that was used for this request. ' +
    'The distribution supports only cachable requests.</BODY></HTML>\n'
  );
}

function send(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  headers: Record<string, string>,
  body?: string,
): void {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
  res.end(req.method === 'HEAD' ? undefined : payload);
}
