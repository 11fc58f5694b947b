/**
 * Cognito identity pools, served as a JSON 1.1 service (`AWSCognitoIdentityService.<Op>`):
 * identity ids for guests and users, and temporary credentials for the role the pool assigns,
 * checked against that role's trust policy and recorded for S3 in the credential store.
 */
import type { Clock } from '../../core/clock';
import type { CredentialStore } from '../../core/credentials';
import type { Logger } from '../../core/logger';
import type { JsonService, RequestMeta } from '../../core/service';
import type { DeployedModel } from '../../deploy/model';
import type { CognitoIdpService } from '../cognito-idp';
import type { IdentityContext } from './context';
import { route } from './router';
import { FileIdentityStore } from './store';

const COGNITO_IDENTITY_TARGET_PREFIX = 'AWSCognitoIdentityService';

export interface CognitoIdentityOptions {
  readonly model: DeployedModel;
  /** State folder; identities persist in `<stateDir>/cognito-identity/`. Omit for in-memory. */
  readonly stateDir?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly idp: Pick<CognitoIdpService, 'verifyIdToken'>;
  /** Where issued credentials go for S3 to find (FileCredentialStore). */
  readonly credentials: CredentialStore;
}

export function createCognitoIdentityService(options: CognitoIdentityOptions): JsonService {
  const ctx: IdentityContext = {
    model: options.model,
    store: new FileIdentityStore(options.stateDir),
    clock: options.clock,
    logger: options.logger,
    idp: options.idp,
    credentials: options.credentials,
  };
  return {
    targetPrefix: COGNITO_IDENTITY_TARGET_PREFIX,
    call: (operation: string, input: unknown, _meta: RequestMeta) => route(ctx, operation, input),
  };
}
