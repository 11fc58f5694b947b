import type { InvocationRequest, InvocationResponse } from '@aws-sdk/client-lambda';
import type { S3Caller } from '../../../iam/authorizer';
import { lambdaErrors } from '../errors';
import type { LambdaFunctions } from '../functions';

/** Lambda's request limits: 6 MB for synchronous payloads, 256 KB for asynchronous ones (since 2025, 1 MB). */
export const SYNC_REQUEST_LIMIT = 6 * 1024 * 1024;
export const ASYNC_REQUEST_LIMIT = 1024 * 1024;

export async function Invoke(
  functions: LambdaFunctions,
  input: InvocationRequest,
  caller: S3Caller,
): Promise<InvocationResponse> {
  const type = input.InvocationType ?? 'RequestResponse';
  if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun')
    throw lambdaErrors.invalidParameter(`Invalid InvocationType: ${String(type)}`);
  if (input.Qualifier !== undefined && input.Qualifier !== '$LATEST')
    throw lambdaErrors.functionNotFound(`${input.FunctionName ?? ''}:${input.Qualifier}`);
  const name = input.FunctionName ?? '';
  // Who may invoke is decided before anything about the payload is said.
  await functions.authorizeOnly(name, caller);
  if (type === 'DryRun') return { StatusCode: 204 };
  const payload = input.Payload ?? new Uint8Array();
  const limit = type === 'Event' ? ASYNC_REQUEST_LIMIT : SYNC_REQUEST_LIMIT;
  if (payload.length > limit) throw lambdaErrors.requestTooLarge(limit);
  let event: unknown = {};
  if (payload.length > 0) {
    try {
      event = JSON.parse(Buffer.from(payload).toString('utf8'));
    } catch (err) {
      throw lambdaErrors.invalidRequestContent(
        `Could not parse request body into json: ${(err as Error).message}`,
      );
    }
  }
  if (type === 'Event') {
    await functions.invoke(name, event, { type: 'Event', caller });
    return { StatusCode: 202 };
  }
  const outcome = await functions.invoke(name, event, { type: 'RequestResponse', caller });
  return outcome.kind === 'ok'
    ? { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: Buffer.from(outcome.payload) }
    : {
        StatusCode: 200,
        ExecutedVersion: '$LATEST',
        FunctionError: 'Unhandled',
        Payload: Buffer.from(JSON.stringify(outcome.error)),
      };
}
