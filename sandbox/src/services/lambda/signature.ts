/** SigV4 for Lambda's REST API (header auth only, as the SDK signs it), with Lambda's errors. */
import type { Clock } from '../../core/clock';
import type { CredentialStore, SessionCredentials } from '../../core/credentials';
import { verifyRestSignature, type ReceivedRequest } from '../../core/rest-sigv4';
import { lambdaErrors } from './errors';

export type { ReceivedRequest } from '../../core/rest-sigv4';

export function verifySignature(
  request: ReceivedRequest,
  store: CredentialStore,
  clock: Clock,
  region: string,
): Promise<SessionCredentials> {
  return verifyRestSignature(request, store, clock, { service: 'lambda', regions: [region] }, lambdaErrors);
}
