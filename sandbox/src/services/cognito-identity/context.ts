import type { Clock } from '../../core/clock';
import type { CredentialStore } from '../../core/credentials';
import type { Logger } from '../../core/logger';
import type { DeployedModel } from '../../deploy/model';
import type { CognitoIdpService } from '../cognito-idp';
import type { IdentityStore } from './store';

export interface IdentityContext {
  readonly model: DeployedModel;
  readonly store: IdentityStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Verifies the id tokens presented in `Logins`. */
  readonly idp: Pick<CognitoIdpService, 'verifyIdToken'>;
  readonly credentials: CredentialStore;
}
