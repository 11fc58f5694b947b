import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { RequestMeta } from '../../core/service';
import type { DeployedModel } from '../../deploy/model';
import type { DynamoDbAuthorize } from '../../iam/authorizer';
import { dynamoDbErrors, wireType } from './errors';
import { OPERATIONS, UNIMPLEMENTED_OPERATIONS } from './operations';
import type { DynamoDbSigV4Verifier } from './sigv4';
import { DYNALITE_OPERATIONS, type DynaliteOperation, type DynamoDbStore } from './store';
import { firstHeader, readBodyWithin, sendJsonAs } from '../../core/http';

/** DynamoDB's request size limit (BatchWriteItem's 16 MB is the largest any operation allows). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810';
export const DYNAMODB_STREAMS_TARGET_PREFIX = 'DynamoDBStreams_20120810';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** DynamoDB's limit on nested maps and lists in an attribute value. */
const MAX_NESTING_LEVELS = 32;

export interface DynamoDbRouterOptions {
  readonly model: DeployedModel;
  readonly store: DynamoDbStore;
  readonly verifier: DynamoDbSigV4Verifier;
  readonly authorize: DynamoDbAuthorize;
  readonly logger: Logger;
}

/**
 * One DynamoDB request: signature, then the operation, then dynalite's validation, then IAM for
 * every resource it touches, then the table's existence, and only then dynalite runs it.
 */
export class DynamoDbRouter {
  constructor(private readonly options: DynamoDbRouterOptions) {}

  async handle(req: IncomingMessage, res: ServerResponse, meta: RequestMeta): Promise<void> {
    const target = firstHeader(req, 'x-amz-target') ?? '';
    const dot = target.indexOf('.');
    const prefix = target.slice(0, dot);
    const operation = target.slice(dot + 1);
    const headers = {
      'access-control-allow-origin': firstHeader(req, 'origin') ?? '*',
      'x-amzn-requestid': meta.requestId,
      'content-type': CONTENT_TYPE,
    };
    try {
      const output = await this.run(req, prefix, operation, meta);
      sendJsonAs(res, 200, output, headers);
    } catch (err) {
      if (!(err instanceof AwsError)) {
        this.options.logger.error(`DynamoDB ${operation} failed`, {
          error: err instanceof Error ? err.stack : String(err),
        });
      }
      const error = err instanceof AwsError ? err : dynamoDbErrors.internal();
      if (error.status < 500 || error.status === 501) {
        this.options.logger.info(`DynamoDB ${operation} -> ${error.code}`, { message: error.message });
      }
      sendJsonAs(
        res,
        error.status,
        { __type: wireType(error), message: error.message },
        { ...headers, 'x-amzn-errortype': error.code },
      );
    }
  }

  private async run(
    req: IncomingMessage,
    prefix: string,
    operation: string,
    meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    const { model, store, verifier, authorize, logger } = this.options;
    if (req.method !== 'POST') throw dynamoDbErrors.unknownOperation(`${prefix}.${operation}`);
    const body = await readBodyWithin(req, MAX_REQUEST_BYTES, () =>
      dynamoDbErrors.requestTooLarge(MAX_REQUEST_BYTES),
    );
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const credentials = await verifier.authenticate({
      method: 'POST',
      rawPath: q === -1 ? rawUrl : rawUrl.slice(0, q),
      rawQuery: q === -1 ? '' : rawUrl.slice(q + 1),
      headers: req.headers,
      body,
    });

    if (prefix === DYNAMODB_STREAMS_TARGET_PREFIX)
      throw dynamoDbErrors.notImplemented(`DynamoDB Streams (${operation})`);
    if (UNIMPLEMENTED_OPERATIONS.has(operation)) throw dynamoDbErrors.notImplemented(operation);
    if (!isDynaliteOperation(operation)) throw dynamoDbErrors.unknownOperation(`${prefix}.${operation}`);

    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      throw dynamoDbErrors.serialization('The request body is not valid JSON.');
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input))
      throw dynamoDbErrors.serialization('The request body must be a JSON object.');
    // Checked here because dynalite walks nested values recursively and would overflow its stack.
    if (nestingTooDeep(input))
      throw dynamoDbErrors.validation('Nesting Levels have exceeded supported limits');
    const data = store.validate(operation, input);

    const spec = OPERATIONS[operation];
    const accesses = spec.accesses(data, model);
    for (const access of accesses) {
      const result = authorize({
        credentials,
        action: access.action,
        resource: access.resource,
        table: access.table,
        sourceIp: meta.sourceIp,
        context: access.context,
      });
      if (result.decision === 'Allow') continue;
      logger.warn('AccessDenied', {
        action: access.action,
        resource: access.resource,
        principal: credentials.assumedRoleArn,
        decision: result.decision,
        requestId: meta.requestId,
      });
      throw dynamoDbErrors.accessDenied(
        credentials.assumedRoleArn,
        access.action,
        access.resource,
        result.decision === 'ExplicitDeny',
      );
    }
    for (const access of accesses) {
      if (access.table !== undefined && !model.tables.has(access.table))
        throw dynamoDbErrors.resourceNotFound();
    }
    if (spec.changesTables) {
      throw dynamoDbErrors.notImplemented(
        `${operation} (the sandbox's tables are the templates'; change them in the CDK app)`,
      );
    }

    const output = await store.run(operation, data);
    if (operation === 'ListTables') {
      // Tables a template no longer has stay in the state folder but are not the app's any more.
      const names = (output.TableNames ?? []) as string[];
      return { ...output, TableNames: names.filter((name) => model.tables.has(name)) };
    }
    return output;
  }
}

/** Whether any attribute value nests maps or lists (`M`, `L`) deeper than DynamoDB allows; iterative. */
function nestingTooDeep(input: object): boolean {
  const stack: Array<[unknown, number]> = [[input, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [value, levels] = next;
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      const nested = (key === 'M' || key === 'L') && child !== null && typeof child === 'object';
      const depth = nested ? levels + 1 : levels;
      if (depth > MAX_NESTING_LEVELS) return true;
      stack.push([child, depth]);
    }
  }
  return false;
}

function isDynaliteOperation(operation: string): operation is DynaliteOperation {
  return (DYNALITE_OPERATIONS as readonly string[]).includes(operation);
}
