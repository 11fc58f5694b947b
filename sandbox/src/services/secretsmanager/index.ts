/**
 * Secrets Manager's GetSecretValue for the templates' secrets, over its JSON protocol
 * (`X-Amz-Target: secretsmanager.GetSecretValue`), behind SigV4 and the caller's IAM policies.
 * Generated values are made once and kept (owner-only) in the state folder, so a restart keeps
 * them; they are never logged. Every other operation answers 501.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/atomic-file';
import type { Clock } from '../../core/clock';
import type { CredentialStore } from '../../core/credentials';
import { AwsError, notImplemented } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { RequestMeta } from '../../core/service';
import type { DeployedModel, SecretSpec } from '../../deploy/model';
import { authorizeSession } from '../../iam/authorizer';
import { dynamoDbErrors } from '../dynamodb/errors';
import { DynamoDbSigV4Verifier } from '../dynamodb/sigv4';
import { generateSecretString } from './generate';
import { firstHeader, readBodyWithin, sendJsonAs } from '../../core/http';

export const SECRETS_MANAGER_TARGET_PREFIX = 'secretsmanager';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Far above any GetSecretValue request; bounds what an unauthenticated client can make us buffer. */
const MAX_REQUEST_BYTES = 64 * 1024;
const CURRENT_STAGE = 'AWSCURRENT';

const getSecretValueInput = z.object({
  SecretId: z.string().min(1).max(2048),
  VersionId: z.string().min(32).max(64).optional(),
  VersionStage: z.string().min(1).max(256).optional(),
});

const stateSchema = z.object({
  version: z.literal(1),
  values: z.record(
    z.string(),
    z.object({ versionId: z.string(), secretString: z.string(), createdDate: z.number() }),
  ),
});
type State = z.infer<typeof stateSchema>;

export interface SecretsManagerServiceOptions {
  readonly model: DeployedModel;
  readonly stateDir: string;
  readonly clock: Clock;
  readonly credentials: CredentialStore;
  readonly logger: Logger;
}

export interface SecretsManagerService {
  handle(req: IncomingMessage, res: ServerResponse, meta: RequestMeta): Promise<void>;
}

const errors = {
  accessDenied: (principal: string, resource: string) =>
    new AwsError(
      'AccessDeniedException',
      `User: ${principal} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${resource} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    ),
  notFound: (what = 'secret') =>
    new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified ${what}.`),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message),
};

/** Generates the secrets the state folder lacks, then serves them. */
export async function createSecretsManagerService(
  options: SecretsManagerServiceOptions,
): Promise<SecretsManagerService> {
  const { model, clock, logger } = options;
  const values = await openValues(join(options.stateDir, 'secretsmanager', 'secrets.json'), model, clock);
  const verifier = new DynamoDbSigV4Verifier(options.credentials, clock, model.region, 'secretsmanager');

  async function run(req: IncomingMessage, meta: RequestMeta): Promise<unknown> {
    const body = await readBodyWithin(
      req,
      MAX_REQUEST_BYTES,
      () =>
        new AwsError(
          'RequestEntityTooLargeException',
          `Request size exceeds ${MAX_REQUEST_BYTES} bytes`,
          413,
        ),
    );
    const credentials = await verifier.authenticate({
      method: req.method ?? 'POST',
      rawPath: (req.url ?? '/').split('?')[0]!,
      rawQuery: (req.url ?? '').split('?')[1] ?? '',
      headers: req.headers,
      body,
    });
    const target = firstHeader(req, 'x-amz-target') ?? '';
    const operation = target.slice(SECRETS_MANAGER_TARGET_PREFIX.length + 1);
    if (operation !== 'GetSecretValue') throw notImplemented(`Secrets Manager ${operation}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw dynamoDbErrors.serialization('The request body is not valid JSON.');
    }
    const input = getSecretValueInput.safeParse(parsed);
    if (!input.success)
      throw errors.invalidParameter(
        input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    const { SecretId, VersionId, VersionStage } = input.data;

    const secret = findSecret(model, SecretId);
    // IAM decides before existence is revealed: an unknown secret is named by the ARN it would have.
    const resource =
      secret?.arn ??
      (SecretId.startsWith('arn:')
        ? SecretId
        : `arn:aws:secretsmanager:${model.region}:${model.accountId}:secret:${SecretId}`);
    const decision = authorizeSession(
      model,
      credentials,
      'secretsmanager:GetSecretValue',
      resource,
      meta.sourceIp,
      clock,
    );
    if (decision.decision !== 'Allow') {
      logger.warn('AccessDenied', {
        action: 'secretsmanager:GetSecretValue',
        resource,
        principal: credentials.assumedRoleArn,
      });
      throw errors.accessDenied(credentials.assumedRoleArn, resource);
    }
    if (!secret) throw errors.notFound();
    const value = values.get(secret.arn)!;
    if (VersionId !== undefined && VersionId !== value.versionId)
      throw errors.notFound(`secret value for VersionId: ${VersionId}`);
    if (VersionStage !== undefined && VersionStage !== CURRENT_STAGE)
      throw errors.notFound(`secret value for staging label: ${VersionStage}`);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: value.versionId,
      SecretString: value.secretString,
      VersionStages: [CURRENT_STAGE],
      CreatedDate: value.createdDate,
    };
  }

  return {
    async handle(req, res, meta) {
      const headers = { 'x-amzn-requestid': meta.requestId, 'content-type': CONTENT_TYPE };
      try {
        sendJsonAs(res, 200, await run(req, meta), headers);
      } catch (err) {
        if (!(err instanceof AwsError))
          logger.error('Secrets Manager request failed', {
            error: err instanceof Error ? err.stack : String(err),
          });
        const error =
          err instanceof AwsError ? err : new AwsError('InternalServiceError', 'Internal error', 500);
        sendJsonAs(res, error.status, { __type: error.code, Message: error.message }, headers);
      }
    },
  };
}

/** A secret by ARN, by name, or by its ARN without the random suffix (the ways Secrets Manager accepts). */
function findSecret(model: DeployedModel, secretId: string): SecretSpec | undefined {
  const exact = model.secrets.get(secretId);
  if (exact) return exact;
  for (const secret of model.secrets.values()) {
    if (secret.name === secretId || secret.arn.slice(0, -7) === secretId) return secret;
  }
  return undefined;
}

interface StoredValue {
  readonly versionId: string;
  readonly secretString: string;
  readonly createdDate: number;
}

async function openValues(
  path: string,
  model: DeployedModel,
  clock: Clock,
): Promise<Map<string, StoredValue>> {
  let state: State = { version: 1, values: {} };
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = stateSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${path} is corrupt; delete the state folder to start over.`);
    state = parsed.data;
  }
  const values = new Map<string, StoredValue>();
  let changed = false;
  for (const secret of model.secrets.values()) {
    if (secret.value.kind === 'string') {
      // The template holds the value: nothing to keep.
      values.set(secret.arn, {
        versionId: randomUUID(),
        secretString: secret.value.secretString,
        createdDate: clock.now().getTime() / 1000,
      });
      continue;
    }
    let stored = state.values[secret.arn];
    if (stored === undefined) {
      stored = {
        versionId: randomUUID(),
        secretString: generateSecretString(secret.value.generate),
        createdDate: clock.now().getTime() / 1000,
      };
      state.values[secret.arn] = stored;
      changed = true;
    }
    values.set(secret.arn, stored);
  }
  // Owner-only: the file holds the secrets' values.
  if (changed) await writeFileAtomic(path, `${JSON.stringify(state)}\n`, 0o600);
  return values;
}
