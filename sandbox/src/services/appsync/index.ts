/**
 * AppSync's GraphQL endpoint for the templates' APIs (AWS_IAM), served at
 * `<endpoint>/_appsync/<apiId>/graphql`: SigV4 with service `appsync`, `appsync:GraphQL` on the
 * ARN of every field the operation requests, graphql-js executing the template's schema, and each
 * field with a direct Lambda resolver invoked as AppSync invokes it (the event below, through the
 * data source's service role). Answers in AppSync's shapes: 401 UnauthorizedException,
 * 403 InvalidSignatureException, field errors with errorType/errorInfo in a 200.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { Clock } from '../../core/clock';
import type { CredentialStore, SessionCredentials } from '../../core/credentials';
import { AwsError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { RequestMeta } from '../../core/service';
import type { DeployedModel, GraphqlApiSpec, ResolverSpec } from '../../deploy/model';
import { authorizeServiceAssumeRole, authorizeSession } from '../../iam/authorizer';
import { DynamoDbSigV4Verifier } from '../dynamodb/sigv4';
import type { LambdaFunctions } from '../lambda';
import { resolverEvent, type ResolverIdentity } from './event';
import { buildAppSyncSchema } from './schema';
import { requestedFields } from './selection';
import { firstHeader, readBodyWithin, sendJsonAs } from '../../core/http';

export const APPSYNC_SERVICE_PRINCIPAL = 'appsync.amazonaws.com';
/** The sandbox's bound on a request body; far above what a client's query and variables need. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** Bounds the parser's work on a hostile query (each nesting level costs tokens). */
export const MAX_QUERY_TOKENS = 15_000;

export interface AppSyncTarget {
  readonly apiId: string;
}

export interface AppSyncServiceOptions {
  readonly model: DeployedModel;
  readonly clock: Clock;
  readonly credentials: CredentialStore;
  readonly functions: LambdaFunctions;
  readonly logger: Logger;
}

export interface AppSyncService {
  handle(req: IncomingMessage, res: ServerResponse, target: AppSyncTarget, meta: RequestMeta): Promise<void>;
}

/** A request-level failure: `{"errors": [{"errorType", "message"}]}` with x-amzn-ErrorType. */
class AppSyncRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

/** A failed field: becomes an entry of `errors` with AppSync's errorType and errorInfo. */
export class AppSyncFieldError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
  }
}

interface LiveApi {
  readonly spec: GraphqlApiSpec;
  readonly schema: GraphQLSchema;
  /** Documents that passed validation, by query text: a client sends the same few queries again and again. */
  readonly validated: Map<string, DocumentNode>;
}

/** Queries kept parsed and validated, and the longest kept: bounds the cache to about 2 MB. */
const VALIDATED_CACHE_ENTRIES = 256;
const VALIDATED_CACHE_QUERY_CHARS = 8 * 1024;

function parseAndValidate(api: LiveApi, query: string): DocumentNode {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_QUERY_TOKENS });
  } catch (err) {
    throw validationFailure([err as GraphQLError]);
  }
  const problems = validate(api.schema, document);
  if (problems.length > 0) throw validationFailure(problems);
  if (query.length <= VALIDATED_CACHE_QUERY_CHARS) {
    // Oldest first out: a Map iterates in insertion order.
    if (api.validated.size >= VALIDATED_CACHE_ENTRIES)
      api.validated.delete(api.validated.keys().next().value!);
    api.validated.set(query, document);
  }
  return document;
}

export function createAppSyncService(options: AppSyncServiceOptions): AppSyncService {
  const { model, clock, logger, functions } = options;
  const verifier = new DynamoDbSigV4Verifier(options.credentials, clock, model.region, 'appsync');
  const apis = new Map<string, LiveApi>();
  for (const spec of model.graphqlApis.values()) {
    if (spec.definition === undefined) {
      logger.warn(`AppSync API ${spec.name} has no schema in the template; it answers 404`);
      continue;
    }
    apis.set(spec.id, { spec, schema: buildAppSyncSchema(spec.definition), validated: new Map() });
  }

  /** AppSync's session of a data source's role, as the caller of the function. */
  const serviceRoleSessions = new Map<string, SessionCredentials>();
  function serviceRoleSession(roleArn: string): SessionCredentials {
    let session = serviceRoleSessions.get(roleArn);
    if (!session) {
      const role = model.roles.get(roleArn);
      session = {
        accessKeyId: 'ASIAAPPSYNCDATASRC00',
        secretAccessKey: '',
        sessionToken: '',
        expiration: new Date(8.64e15),
        roleArn,
        assumedRoleArn: `arn:aws:sts::${model.accountId}:assumed-role/${role?.name ?? roleArn.split('/').pop()}/APPSYNC_ASSUME_ROLE`,
      };
      serviceRoleSessions.set(roleArn, session);
    }
    return session;
  }

  async function invokeResolver(resolver: ResolverSpec, event: unknown): Promise<unknown> {
    if (resolver.kind === 'unsupported')
      throw new AppSyncFieldError('NotImplemented', `The sandbox does not run ${resolver.reason}.`);
    if (resolver.serviceRoleArn === undefined)
      throw new AppSyncFieldError(
        'Lambda:IllegalArgument',
        'The data source has no service role to invoke the function with.',
      );
    if (
      authorizeServiceAssumeRole(model, resolver.serviceRoleArn, APPSYNC_SERVICE_PRINCIPAL, clock)
        .decision !== 'Allow'
    )
      throw new AppSyncFieldError(
        'Lambda:AccessDeniedException',
        `AppSync cannot assume ${resolver.serviceRoleArn}: its trust policy does not allow ${APPSYNC_SERVICE_PRINCIPAL}.`,
      );
    let outcome;
    try {
      outcome = await functions.invoke(resolver.functionArn, event, {
        type: 'RequestResponse',
        caller: { kind: 'role', credentials: serviceRoleSession(resolver.serviceRoleArn) },
      });
    } catch (err) {
      if (err instanceof AwsError) throw new AppSyncFieldError(`Lambda:${err.code}`, err.message);
      throw err;
    }
    if (outcome.kind === 'error')
      throw new AppSyncFieldError(outcome.error.errorType, outcome.error.errorMessage);
    return outcome.payload === '' ? null : (JSON.parse(outcome.payload) as unknown);
  }

  async function run(req: IncomingMessage, api: LiveApi, meta: RequestMeta, body: Buffer): Promise<unknown> {
    let credentials: SessionCredentials;
    try {
      credentials = await verifier.authenticate({
        method: req.method ?? 'POST',
        rawPath: (req.url ?? '/').split('?')[0]!,
        rawQuery: (req.url ?? '').split('?')[1] ?? '',
        headers: req.headers,
        body,
      });
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      if (err.code === 'InvalidSignatureException') throw new AppSyncRequestError(403, err.code, err.message);
      throw new AppSyncRequestError(401, 'UnauthorizedException', err.message);
    }

    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(body.toString('utf8')) as typeof request;
    } catch {
      throw new AppSyncRequestError(
        400,
        'MalformedHttpRequestException',
        'Invalid JSON payload in POST request.',
      );
    }
    if (request === null || typeof request !== 'object' || typeof request.query !== 'string')
      throw new AppSyncRequestError(
        400,
        'MalformedHttpRequestException',
        'The request must carry a query string.',
      );
    const variables = request.variables ?? {};
    if (variables === null || typeof variables !== 'object' || Array.isArray(variables))
      throw new AppSyncRequestError(400, 'MalformedHttpRequestException', 'variables must be a JSON object.');
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;

    const document = api.validated.get(request.query) ?? parseAndValidate(api, request.query);
    const operation = getOperationAST(document, operationName);
    if (!operation)
      throw validationFailure([
        new GraphQLError(
          operationName === undefined
            ? 'Must provide operation name if query contains multiple operations.'
            : `Unknown operation named "${operationName}".`,
        ),
      ]);
    if (operation.operation === 'subscription')
      throw new AppSyncRequestError(
        501,
        'NotImplemented',
        "Subscriptions need AppSync's real-time WebSocket endpoint, which the sandbox does not emulate.",
      );

    for (const field of requestedFields(api.schema, document, operation)) {
      const [typeName, fieldName] = field.split('.') as [string, string];
      const resource = `${api.spec.arn}/types/${typeName}/fields/${fieldName}`;
      const result = authorizeSession(model, credentials, 'appsync:GraphQL', resource, meta.sourceIp, clock);
      if (result.decision === 'Allow') continue;
      logger.warn('AccessDenied', {
        action: 'appsync:GraphQL',
        resource,
        principal: credentials.assumedRoleArn,
      });
      throw new AppSyncRequestError(
        401,
        'UnauthorizedException',
        `Not Authorized to access ${fieldName} on type ${typeName}`,
      );
    }

    const identity = resolverIdentity(model, credentials, meta.sourceIp);
    const fieldResolver: GraphQLFieldResolver<unknown, unknown> = async (source, args, _context, info) => {
      const resolver = api.spec.resolvers.get(`${info.parentType.name}.${info.fieldName}`);
      if (!resolver) {
        // No resolver: the parent's value for this field, as AppSync passes it through.
        return source !== null && typeof source === 'object'
          ? (source as Record<string, unknown>)[info.fieldName]
          : null;
      }
      return invokeResolver(
        resolver,
        resolverEvent({ args, source, info, identity, headers: req.headers, variables }),
      );
    };
    const result = await execute({
      schema: api.schema,
      document,
      operationName,
      variableValues: variables as Record<string, unknown>,
      fieldResolver,
      rootValue: null,
    });
    return {
      data: result.data ?? null,
      ...(result.errors && result.errors.length > 0 ? { errors: result.errors.map(fieldError) } : {}),
    };
  }

  return {
    async handle(req, res, target, meta) {
      const headers: Record<string, string> = {
        'access-control-allow-origin': firstHeader(req, 'origin') ?? '*',
        'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype',
        'x-amzn-requestid': meta.requestId,
        'content-type': 'application/json; charset=UTF-8',
        vary: 'Origin',
      };
      if (req.method === 'OPTIONS') {
        // What Amplify's signed POST needs: its signing headers and the JSON content type.
        res.writeHead(200, {
          ...headers,
          'access-control-allow-methods': 'POST, OPTIONS',
          'access-control-allow-headers':
            firstHeader(req, 'access-control-request-headers') ??
            'authorization, content-type, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-content-sha256',
          'access-control-max-age': '86400',
          'content-length': '0',
        });
        res.end();
        return;
      }
      try {
        const api = apis.get(target.apiId);
        if (!api)
          throw new AppSyncRequestError(404, 'NotFoundException', `No GraphQL API with id ${target.apiId}.`);
        if (req.method !== 'POST')
          throw new AppSyncRequestError(405, 'MethodNotAllowedException', 'Send GraphQL requests as POST.');
        const body = await readBodyWithin(
          req,
          MAX_REQUEST_BYTES,
          () =>
            new AppSyncRequestError(
              413,
              'PayloadTooLargeException',
              `The request is larger than ${MAX_REQUEST_BYTES} bytes.`,
            ),
        );
        sendJsonAs(res, 200, await run(req, api, meta, body), headers);
      } catch (err) {
        if (err instanceof ValidationFailure) {
          sendJsonAs(res, 400, { data: null, errors: err.errors }, headers);
          return;
        }
        const failure =
          err instanceof AppSyncRequestError
            ? err
            : new AppSyncRequestError(500, 'InternalFailure', 'Internal error');
        if (!(err instanceof AppSyncRequestError))
          logger.error('AppSync request failed', { error: err instanceof Error ? err.stack : String(err) });
        sendJsonAs(
          res,
          failure.status,
          { errors: [{ errorType: failure.errorType, message: failure.message }] },
          {
            ...headers,
            'x-amzn-errortype': failure.errorType,
          },
        );
      }
    },
  };
}

/** The identity block of a resolver event for an IAM caller (an identity pool session or a role). */
function resolverIdentity(
  model: DeployedModel,
  credentials: SessionCredentials,
  sourceIp: string,
): ResolverIdentity {
  const roleId = model.roles.get(credentials.roleArn)?.roleId;
  const sessionName = credentials.assumedRoleArn.split('/').pop() ?? '';
  const authenticated = credentials.amr?.includes('authenticated') ?? false;
  const providers = (credentials.amr ?? []).filter((v) => v !== 'authenticated' && v !== 'unauthenticated');
  return {
    accountId: model.accountId,
    cognitoIdentityPoolId: credentials.identityPoolId ?? null,
    cognitoIdentityId: credentials.identityId ?? null,
    cognitoIdentityAuthType:
      credentials.identityPoolId === undefined ? null : authenticated ? 'authenticated' : 'unauthenticated',
    cognitoIdentityAuthProvider: providers.length > 0 ? providers.map((p) => `"${p}"`).join(',') : null,
    sourceIp: [sourceIp],
    userArn: credentials.assumedRoleArn,
    username: roleId === undefined ? credentials.accessKeyId : `${roleId}:${sessionName}`,
  };
}

class ValidationFailure extends Error {
  constructor(readonly errors: unknown[]) {
    super('validation failed');
  }
}

function validationFailure(errors: readonly GraphQLError[]): ValidationFailure {
  return new ValidationFailure(
    errors.map((e) => ({
      message: e.message,
      errorType: 'ValidationError',
      ...(e.locations ? { locations: e.locations.map((l) => ({ ...l, sourceName: null })) } : {}),
    })),
  );
}

function fieldError(error: GraphQLError): unknown {
  const original = error.originalError;
  const appsync = original instanceof AppSyncFieldError ? original : undefined;
  return {
    path: error.path ?? null,
    data: null,
    errorType: appsync?.errorType ?? null,
    errorInfo: appsync?.errorInfo ?? null,
    locations: (error.locations ?? []).map((l) => ({ ...l, sourceName: null })),
    message: error.message,
  };
}
