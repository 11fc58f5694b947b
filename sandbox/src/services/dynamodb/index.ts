import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Clock } from '../../core/clock';
import type { CredentialStore } from '../../core/credentials';
import type { Logger } from '../../core/logger';
import type { RequestMeta } from '../../core/service';
import type { DeployedModel } from '../../deploy/model';
import type { DynamoDbAuthorize } from '../../iam/authorizer';
import { DynamoDbRouter } from './router';
import { DynamoDbSigV4Verifier } from './sigv4';
import { DynamoDbStore } from './store';

export { DYNAMODB_STREAMS_TARGET_PREFIX, DYNAMODB_TARGET_PREFIX } from './router';

export interface DynamoDbServiceOptions {
  readonly model: DeployedModel;
  /** The tables live in `<stateDir>/dynamodb/` (LevelDB); undefined keeps them in memory. */
  readonly stateDir: string | undefined;
  readonly clock: Clock;
  /** Where the identity pool's temporary credentials are looked up by access key id. */
  readonly credentials: CredentialStore;
  readonly authorize: DynamoDbAuthorize;
  readonly logger: Logger;
}

export interface DynamoDbService {
  /** Answers one request whose X-Amz-Target names DynamoDB (or DynamoDB Streams). */
  handle(req: IncomingMessage, res: ServerResponse, meta: RequestMeta): Promise<void>;
  /** Closes LevelDB, which allows one process at a time: a restart needs the old one closed. */
  close(): Promise<void>;
}

/** Opens the tables' store (creating the template tables it lacks) and serves DynamoDB over it. */
export async function createDynamoDbService(options: DynamoDbServiceOptions): Promise<DynamoDbService> {
  const store = await DynamoDbStore.open(
    {
      path: options.stateDir === undefined ? undefined : join(options.stateDir, 'dynamodb'),
      region: options.model.region,
      accountId: options.model.accountId,
      logger: options.logger,
    },
    options.model.tables.values(),
  );
  const router = new DynamoDbRouter({
    model: options.model,
    store,
    verifier: new DynamoDbSigV4Verifier(options.credentials, options.clock, options.model.region),
    authorize: options.authorize,
    logger: options.logger,
  });
  return { handle: (req, res, meta) => router.handle(req, res, meta), close: () => store.close() };
}
