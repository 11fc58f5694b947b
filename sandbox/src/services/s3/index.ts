import type { Clock } from '../../core/clock';
import type { CredentialStore } from '../../core/credentials';
import type { Logger } from '../../core/logger';
import type { RestService, S3Target } from '../../core/service';
import type { DeployedModel } from '../../deploy/model';
import type { S3Authorize } from '../../iam/authorizer';
import { S3EventNotifier } from './notifications';
import { S3Router } from './router';
import { SigV4Verifier } from './sigv4';
import { S3Store } from './store';

export type { ObjectRecord } from './store';
export { S3Store } from './store';
export { S3EventNotifier, eventKey, type EventInvoker, type S3EventRecord } from './notifications';
// The object read and error document CloudFront's S3 origin shares with GetObject.
export { readConditions, readObject, type ObjectRead } from './object-read';
export { s3Errors } from './errors';
export { errorXml } from './xml';

export interface S3ServiceOptions {
  readonly model: DeployedModel;
  /** Objects live in `<stateDir>/s3/<bucket>/`. */
  readonly stateDir: string;
  readonly clock: Clock;
  /** Where the identity pool's temporary credentials are looked up by access key id. */
  readonly credentials: CredentialStore;
  readonly authorize: S3Authorize;
  readonly logger: Logger;
  /**
   * fsync every write before acknowledging it (survives a power cut, not only a killed process).
   * Default: on when the environment has SANDBOX_S3_FSYNC=1, otherwise off (see store/index.ts).
   */
  readonly durable?: boolean;
}

export interface S3Service extends RestService<S3Target> {
  /** Read access to the stored objects for CloudFront, which authorises on its own. */
  readonly store: S3Store;
  /** Sends the buckets' event notifications once started with the Lambda service. */
  readonly notifications: S3EventNotifier;
}

/** Opens (or creates) every bucket of the model on disk, rebuilding the key index, and serves S3 over it. */
export async function createS3Service(options: S3ServiceOptions): Promise<S3Service> {
  const durable = options.durable ?? process.env.SANDBOX_S3_FSYNC === '1';
  const notifications = await S3EventNotifier.open(options.model, options.stateDir, options.logger, durable);
  const store = await S3Store.open(options.stateDir, options.model.buckets.keys(), options.logger, {
    durable,
    events: notifications,
  });
  await notifications.recover(store);
  const router = new S3Router({
    model: options.model,
    store,
    clock: options.clock,
    verifier: new SigV4Verifier(options.credentials, options.clock),
    authorize: options.authorize,
    logger: options.logger,
  });
  return {
    store,
    notifications,
    handle: (req, res, target, meta) => router.handle(req, res, target, meta),
  };
}
