/**
 * Composition root: synthesize (when stale) -> deploy the templates locally -> create the services
 * -> serve them -> write outputs.sandbox.json. Tests call startSandbox() with port 0 and a temp state.
 */
// The outputs contract's key names, from the converter that reads this file.
import { SANDBOX_OUTPUT_KEYS, SANDBOX_STACK } from '@image-share/contracts/outputs';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ADMIN_TOKEN_HEADER, ADMIN_TOKEN_OUTPUT_KEY, newAdminToken } from './core/admin-token';
import { writeFileAtomic } from './core/atomic-file';
import { systemClock, type Clock } from './core/clock';
import { AwsError } from './core/errors';
import { consoleLogger, type Logger } from './core/logger';
import { DEFAULT_REGION, deployCloudAssembly } from './deploy';
import type { DeployedModel } from './deploy/model';
import { createDynamoDbAuthorizer, createS3Authorizer } from './iam/authorizer';
import { listen, readBody, sendJson, type RunningServer } from './server';
import { createAppSyncService } from './services/appsync';
import { createCloudFrontService } from './services/cloudfront';
import { createCloudFrontApi } from './services/cloudfront/api';
import { EdgeCache } from './services/cloudfront/cache';
import { InvalidationStore } from './services/cloudfront/invalidations';
import { createCognitoIdentityService } from './services/cognito-identity';
import type { CredentialStore } from './core/credentials';
import { FileCredentialStore } from './services/cognito-identity/credential-store';
import { createCognitoIdpService } from './services/cognito-idp';
import {
  createDynamoDbService,
  DYNAMODB_STREAMS_TARGET_PREFIX,
  DYNAMODB_TARGET_PREFIX,
} from './services/dynamodb';
import { Mailbox } from './services/mailbox';
import { createLambdaService, type LambdaFunctions } from './services/lambda';
import { createS3Service } from './services/s3';
import { createSecretsManagerService, SECRETS_MANAGER_TARGET_PREFIX } from './services/secretsmanager';
import { synthIfStale } from './synth';

const addToGroupBody = z.object({ email: z.string(), group: z.string() });

export interface StartOptions {
  readonly port: number;
  readonly stateDir: string;
  readonly cdkOutDir: string;
  readonly region?: string;
  /** Run `cdk synth` first when cdk.out is missing or older than the CDK app's sources. */
  readonly synth?: boolean;
  /** Where to write the outputs file (CDK shape + a Sandbox entry); never a real outputs.json. */
  readonly outputsFile?: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Delays before the retries of a failed asynchronous invocation. @default one minute, then two */
  readonly lambdaRetryDelaysMs?: readonly number[];
}

export interface RunningSandbox {
  readonly endpoint: string;
  readonly port: number;
  readonly model: DeployedModel;
  readonly outputs: Record<string, Record<string, string>>;
  readonly mailbox: Mailbox;
  /** This start's token for `/_sandbox/` (also in `outputs`, and so in the outputs file). */
  readonly adminToken: string;
  /** The deployed functions, for services that invoke them and for tests. */
  readonly functions: LambdaFunctions;
  /** Every signed request's credentials are looked up here (tests add a function role's session). */
  readonly credentials: CredentialStore;
  close(): Promise<void>;
}

export async function startSandbox(options: StartOptions): Promise<RunningSandbox> {
  const logger = options.logger ?? consoleLogger;
  const clock = options.clock ?? systemClock;
  const region = options.region ?? DEFAULT_REGION;
  if (options.outputsFile && basename(options.outputsFile) === 'outputs.json') {
    throw new Error(
      'The sandbox never writes outputs.json (that file belongs to a real deploy); use outputs.sandbox.json.',
    );
  }
  if (options.synth) await synthIfStale(options.cdkOutDir, logger);
  if (!existsSync(join(options.cdkOutDir, 'manifest.json'))) {
    throw new Error(
      `No cloud assembly at ${options.cdkOutDir}. Run \`pnpm cdk synth\` first (or start without --no-synth).`,
    );
  }

  const model = await deployCloudAssembly({
    cdkOutDir: options.cdkOutDir,
    stateDir: options.stateDir,
    region,
  });
  for (const u of model.unsupported) {
    logger.warn(`not emulated: ${u.stack}/${u.logicalId} (${u.type})`);
  }

  const mailbox = await Mailbox.open(join(options.stateDir, 'mailbox'), logger, clock);
  const credentials = await FileCredentialStore.open(join(options.stateDir, 'credentials'), clock);
  const idp = createCognitoIdpService({ model, stateDir: options.stateDir, clock, logger, mailbox });
  const identity = createCognitoIdentityService({
    model,
    stateDir: options.stateDir,
    clock,
    logger,
    idp,
    credentials,
  });
  const authorize = createS3Authorizer(model, clock);
  const s3 = await createS3Service({
    model,
    stateDir: options.stateDir,
    clock,
    credentials,
    authorize,
    logger,
  });
  const edgeCache = new EdgeCache();
  const cloudfront = createCloudFrontService({
    model,
    s3: s3.store,
    authorize,
    logger,
    clock,
    cache: edgeCache,
  });
  const cloudfrontApi = createCloudFrontApi({
    model,
    invalidations: await InvalidationStore.open(options.stateDir, edgeCache, clock),
    credentials,
    clock,
    logger,
  });
  const dynamodb = await createDynamoDbService({
    model,
    stateDir: options.stateDir,
    clock,
    credentials,
    authorize: createDynamoDbAuthorizer(model, clock),
    logger,
  });
  const secretsManager = await createSecretsManagerService({
    model,
    stateDir: options.stateDir,
    clock,
    credentials,
    logger,
  });
  let endpoint = '';
  const lambda = createLambdaService({
    model,
    stateDir: options.stateDir,
    clock,
    logger,
    credentials,
    endpoint: () => endpoint,
    retryDelaysMs: options.lambdaRetryDelaysMs,
  });

  const appsync = createAppSyncService({ model, clock, credentials, functions: lambda.functions, logger });

  const adminToken = newAdminToken();
  // Known once the server has its port; requests before that see no stacks yet.
  let outputs: Record<string, Record<string, string>> = {};
  const sandboxApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ) => {
    if (path === '/_sandbox/health' && req.method === 'GET') {
      sendJson(res, 200, { status: 'ok' });
      return true;
    }
    if (path === '/_sandbox/mailbox' && req.method === 'GET') {
      const to = query.get('to') ?? undefined;
      sendJson(res, 200, { messages: await mailbox.list(to) });
      return true;
    }
    if (path === '/_sandbox/outputs' && req.method === 'GET') {
      sendJson(res, 200, outputs);
      return true;
    }
    if (path === '/_sandbox/admin/add-user-to-group' && req.method === 'POST') {
      let parsed: unknown;
      try {
        parsed = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8') || '{}');
      } catch (err) {
        if (err instanceof AwsError) sendJson(res, err.status, { message: err.message });
        else sendJson(res, 400, { message: 'The body is not valid JSON.' });
        return true;
      }
      const body = addToGroupBody.safeParse(parsed);
      if (!body.success) {
        sendJson(res, 400, { message: 'Send {"email": "...", "group": "..."}.' });
        return true;
      }
      try {
        await idp.addUserToGroup(body.data.email, body.data.group);
        sendJson(res, 200, { message: 'ok' });
      } catch (err) {
        sendJson(res, err instanceof AwsError ? err.status : 500, {
          message: err instanceof Error ? err.message : String(err),
        });
      }
      return true;
    }
    return false;
  };

  let running: RunningServer;
  try {
    running = await listen(
      {
        json: [idp, identity],
        s3,
        cloudfront,
        cloudfrontApi,
        dynamodb: {
          targetPrefixes: [DYNAMODB_TARGET_PREFIX, DYNAMODB_STREAMS_TARGET_PREFIX],
          handle: (req, res, meta) => dynamodb.handle(req, res, meta),
        },
        lambda: lambda.http,
        appsync,
        secretsManager: { targetPrefix: SECRETS_MANAGER_TARGET_PREFIX, handle: secretsManager.handle },
        jwks: async (poolId) => idp.jwks(poolId),
        adminToken,
        sandboxApi,
      },
      logger,
      { port: options.port },
    );
  } catch (err) {
    await lambda.functions.close();
    await dynamodb.close();
    throw err;
  }
  endpoint = running.endpoint;
  // Functions need the endpoint, so events (and those a killed run left) start flowing only now.
  s3.notifications.start(lambda.functions);
  outputs = localOutputs(model, running.endpoint, adminToken);
  if (options.outputsFile)
    // Owner-only: it holds the admin token.
    await writeFileAtomic(options.outputsFile, `${JSON.stringify(outputs, null, 2)}\n`, 0o600);

  logger.info(`ready on ${running.endpoint}`);
  logger.info(`  Cognito user pools + identity: ${running.endpoint} (X-Amz-Target)`);
  logger.info(
    `  S3:          ${running.endpoint}/<bucket>/<key> (path style) and ${running.endpoint}/_aws/s3/...`,
  );
  // The value for AWS_ENDPOINT_URL_DYNAMODB (SDK clients and, later, the functions).
  if (model.tables.size > 0) {
    logger.info(
      `  DynamoDB:    ${running.endpoint} (X-Amz-Target DynamoDB_20120810.*; tables: ${[...model.tables.keys()].join(', ')})`,
    );
  }
  for (const api of model.graphqlApis.values()) {
    logger.info(`  AppSync:     ${appSyncUrl(running.endpoint, api.id)} (stands in for ${api.graphQlUrl})`);
  }
  for (const secret of model.secrets.values()) {
    logger.info(`  Secrets:     ${secret.arn} (X-Amz-Target secretsmanager.GetSecretValue)`);
  }
  for (const d of model.distributions.values()) {
    logger.info(
      `  CloudFront:  ${running.endpoint}/_cloudfront/${d.id}/ (stands in for https://${d.domainName})`,
    );
  }
  if (model.distributions.size > 0)
    logger.info(`  CloudFront API: ${running.endpoint} (AWS_ENDPOINT_URL; invalidations)`);
  for (const fn of model.functions.values()) {
    if (fn.code.kind === 'asset')
      logger.info(
        `  Lambda:      ${fn.name} (${fn.runtime}, ${fn.handler}) at ${running.endpoint}/2015-03-31/functions/${fn.name}/invocations`,
      );
  }
  logger.info(`  Mailbox:     ${running.endpoint}/_sandbox/mailbox`);
  logger.info(`  Admin token: ${adminToken} (header ${ADMIN_TOKEN_HEADER}, needed for /_sandbox/)`);
  if (options.outputsFile) logger.info(`  Outputs:     ${options.outputsFile}`);

  return {
    endpoint: running.endpoint,
    port: running.port,
    model,
    outputs,
    mailbox,
    adminToken,
    functions: lambda.functions,
    credentials,
    close: async () => {
      await lambda.functions.close();
      await running.close();
      await dynamodb.close();
    },
  };
}

/** Where the sandbox serves an AppSync API's GraphQL endpoint. */
function appSyncUrl(endpoint: string, apiId: string): string {
  return `${endpoint}/_appsync/${apiId}/graphql`;
}

/** The deployed outputs with CloudFront domains and AppSync URLs replaced by their local stand-ins, plus a Sandbox entry. */
function localOutputs(
  model: DeployedModel,
  endpoint: string,
  adminToken: string,
): Record<string, Record<string, string>> {
  const outputs: Record<string, Record<string, string>> = {};
  for (const [stack, values] of Object.entries(model.outputs)) {
    outputs[stack] = {};
    for (const [key, value] of Object.entries(values)) {
      let local = value;
      for (const d of model.distributions.values()) {
        local = local.split(`https://${d.domainName}`).join(`${endpoint}/_cloudfront/${d.id}`);
      }
      for (const api of model.graphqlApis.values()) {
        local = local.split(api.graphQlUrl).join(appSyncUrl(endpoint, api.id));
      }
      outputs[stack]![key] = local;
    }
  }
  outputs[SANDBOX_STACK] = {
    [SANDBOX_OUTPUT_KEYS.endpoint]: endpoint,
    [SANDBOX_OUTPUT_KEYS.mailboxUrl]: `${endpoint}/_sandbox/mailbox`,
    // Not an app output: the converter ignores it, so it never reaches the browser.
    [ADMIN_TOKEN_OUTPUT_KEY]: adminToken,
  };
  return outputs;
}
