/**
 * Lambda's Invoke over HTTP (`POST /2015-03-31/functions/<name>/invocations`, restJson1), so that
 * `@aws-sdk/client-lambda` works against the sandbox: SigV4 with service `lambda`, then the
 * Invoke handler, whose InvocationResponse becomes Lambda's status, headers and raw payload.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock';
import type { CredentialStore } from '../../core/credentials';
import { AwsError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { RequestMeta, RestService } from '../../core/service';
import { readBody, sendJson } from '../../server';
import type { LambdaFunctions } from './functions';
import { Invoke, SYNC_REQUEST_LIMIT } from './handlers/Invoke';
import { verifySignature } from './signature';

export interface LambdaTarget {
  /** The path's function segment, decoded: a name, an ARN or a partial ARN. */
  readonly functionName: string;
  readonly rawPath: string;
  readonly rawQuery: string;
}

export function createLambdaRouter(options: {
  readonly functions: LambdaFunctions;
  readonly credentials: CredentialStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly region: string;
}): RestService<LambdaTarget> {
  return {
    async handle(req: IncomingMessage, res: ServerResponse, target: LambdaTarget, meta: RequestMeta) {
      const headers = { 'x-amzn-requestid': meta.requestId };
      try {
        if (req.method !== 'POST')
          throw new AwsError('UnknownOperationException', `Unknown operation ${req.method}`);
        const body = await readBody(req, SYNC_REQUEST_LIMIT);
        const credentials = await verifySignature(
          {
            method: req.method,
            rawPath: target.rawPath,
            rawQuery: target.rawQuery,
            headers: req.headers,
            body,
          },
          options.credentials,
          options.clock,
          options.region,
        );
        const header = req.headers['x-amz-invocation-type'];
        const output = await Invoke(
          options.functions,
          {
            FunctionName: target.functionName,
            InvocationType: (Array.isArray(header) ? header[0] : header) as 'RequestResponse' | undefined,
            Qualifier: new URLSearchParams(target.rawQuery).get('Qualifier') ?? undefined,
            Payload: body,
          },
          { kind: 'role', credentials },
        );
        const payload = Buffer.from(output.Payload ?? new Uint8Array());
        res.writeHead(output.StatusCode ?? 200, {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(payload.length),
          ...(output.ExecutedVersion ? { 'x-amz-executed-version': output.ExecutedVersion } : {}),
          ...(output.FunctionError ? { 'x-amz-function-error': output.FunctionError } : {}),
        });
        res.end(payload);
      } catch (err) {
        const error = err instanceof AwsError ? err : new AwsError('ServiceException', 'Internal error', 500);
        if (!(err instanceof AwsError))
          options.logger.error('lambda Invoke failed', {
            error: err instanceof Error ? err.stack : String(err),
          });
        sendJson(
          res,
          error.status,
          { __type: error.code, message: error.message },
          {
            ...headers,
            'x-amzn-errortype': error.code,
          },
        );
      }
    },
  };
}
