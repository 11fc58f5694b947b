/**
 * Runs the deployed functions: one pool of execution environments per function, synchronous
 * invokes that return the result or the function's error, and asynchronous invokes retried the
 * way Lambda retries them before their failure is recorded. Other services call `invoke`; the
 * HTTP API (router.ts) is one more caller.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/clock';
import type { CredentialStore, SessionCredentials } from '../../core/credentials';
import { AwsError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { DeployedModel, FunctionSpec } from '../../deploy/model';
import { authorizeInvoke, authorizeServiceAssumeRole, type S3Caller } from '../../iam/authorizer';
import { issueFunctionCredentials } from './credentials';
import { functionEnvironment, prepareRuntimeModules } from './environment';
import { lambdaErrors } from './errors';
import { EnvironmentPool } from './pool';
import { hostSharp, taskRootFor, type HostSharp } from './sharp-overlay';
import { FunctionWorker, type FunctionError, type InvocationOutcome } from './worker';

export type { FunctionError, InvocationOutcome } from './worker';

/** Lambda retries a failed asynchronous invocation after about one minute, then two. */
export const LAMBDA_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];
/** Environments per function when the template reserves no concurrency: enough for a page's requests on a laptop. */
export const DEFAULT_CONCURRENCY = 4;
/** An environment is retired when its credentials would expire within its timeout plus this. */
const CREDENTIALS_MARGIN_MS = 5 * 60 * 1000;
/** Lambda's payload limits: 6 MB for synchronous responses. */
export const SYNC_RESPONSE_LIMIT = 6 * 1024 * 1024;

export interface InvokeOptions {
  readonly type: 'RequestResponse' | 'Event';
  /**
   * Who invokes. A service (S3 events, AppSync) must be allowed by the function's resource policy;
   * a role (the HTTP API) by its policies or the resource policy. Omitted: the sandbox itself.
   */
  readonly caller?: S3Caller;
}

export interface LambdaFunctionsOptions {
  readonly model: DeployedModel;
  readonly stateDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly credentials: CredentialStore;
  /** The sandbox's endpoint, known once the server listens; functions get it as AWS_ENDPOINT_URL. */
  readonly endpoint: () => string;
  /** Delays before each retry of a failed asynchronous invocation (tests shorten them). */
  readonly retryDelaysMs?: readonly number[];
  readonly defaultConcurrency?: number;
}

/**
 * How an accepted asynchronous invocation ended: it ran, or its failure was recorded after the
 * retries, or the sandbox stopped first (the event is then the caller's to keep and send again).
 */
export type AsyncInvocationEnd = 'succeeded' | 'dead-lettered' | 'stopped';

/** A failed asynchronous invocation, in the shape Lambda sends to an on-failure destination. */
export interface AsyncFailureRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: 'RetriesExhausted';
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: 200;
    readonly executedVersion: '$LATEST';
    readonly functionError: 'Unhandled';
  };
  readonly responsePayload: FunctionError;
}

export class LambdaFunctions {
  private readonly pools = new Map<string, EnvironmentPool>();
  private readonly taskRoots = new Map<string, Promise<string>>();
  private readonly pendingAsync = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();
  private readonly retryDelaysMs: readonly number[];
  private runtimeModules: Promise<string> | undefined;
  private sharp: Promise<HostSharp | undefined> | undefined;
  readonly deadLetterFile: string;

  constructor(private readonly options: LambdaFunctionsOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? LAMBDA_RETRY_DELAYS_MS;
    this.deadLetterFile = join(options.stateDir, 'lambda', 'dead-letters.jsonl');
  }

  /** The deployed function a name, ARN or partial ARN (optionally `:$LATEST`) names. */
  resolve(functionArnOrName: string): FunctionSpec {
    const { model } = this.options;
    const match = /^(?:(arn:[\w-]+:lambda:[\w-]+:)?(\d{12}):function:)?([\w-]+)(?::\$LATEST)?$/.exec(
      functionArnOrName,
    );
    const fn = match ? model.functions.get(match[3]!) : undefined;
    // An ARN names the account and region too: another account's function of the same name is not ours.
    const [, arnPrefix, account] = match ?? [];
    const sameFunction =
      fn !== undefined &&
      (arnPrefix === undefined || `${arnPrefix}${account}:function:${fn.name}` === fn.arn) &&
      (account === undefined || account === model.accountId);
    if (!fn || !sameFunction) throw lambdaErrors.functionNotFound(this.arnFor(functionArnOrName));
    return fn;
  }

  /** Runs the function and returns its result or its error (the function's errors are not thrown). */
  invoke(
    functionArnOrName: string,
    event: unknown,
    options: InvokeOptions & { type: 'RequestResponse' },
  ): Promise<InvocationOutcome & { readonly requestId: string }>;
  /** Queues the function (retried on failure) and returns once it is accepted; `settled` tells how it ended. */
  invoke(
    functionArnOrName: string,
    event: unknown,
    options: InvokeOptions & { type: 'Event' },
  ): Promise<{ readonly requestId: string; readonly settled: Promise<AsyncInvocationEnd> }>;
  async invoke(
    functionArnOrName: string,
    event: unknown,
    options: InvokeOptions,
  ): Promise<
    | { readonly requestId: string; readonly settled: Promise<AsyncInvocationEnd> }
    | (InvocationOutcome & { readonly requestId: string })
  > {
    const fn = this.resolve(functionArnOrName);
    this.authorize(fn, options.caller);
    this.checkRunnable(fn);
    const requestId = randomUUID();
    if (options.type === 'RequestResponse') return { requestId, ...(await this.run(fn, event, requestId)) };
    const settled = this.runAsync(fn, event, requestId);
    const pending: Promise<unknown> = settled.then(
      () => this.pendingAsync.delete(pending),
      () => this.pendingAsync.delete(pending),
    );
    this.pendingAsync.add(pending);
    return { requestId, settled };
  }

  /**
   * Fresh credentials for a function's execution role, as its environments get them: for tools
   * and tests that act as the function (the live access matrix seeds what only the pipeline may
   * write). Every request signed with them is authorised by the role's policies.
   */
  async roleCredentials(functionArnOrName: string): Promise<SessionCredentials> {
    const credentials = issueFunctionCredentials(
      this.options.model,
      this.resolve(functionArnOrName),
      this.options.clock,
    );
    await this.options.credentials.put(credentials);
    return credentials;
  }

  /** What an invocation checks before it runs (DryRun): the function exists, the caller may invoke it. */
  async authorizeOnly(functionArnOrName: string, caller: S3Caller): Promise<void> {
    this.authorize(this.resolve(functionArnOrName), caller);
  }

  /** Resolves when every asynchronous invocation accepted so far has succeeded or been recorded as failed. */
  async drain(): Promise<void> {
    while (this.pendingAsync.size > 0) await Promise.all([...this.pendingAsync]);
  }

  async close(): Promise<void> {
    this.shutdown.abort();
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    await Promise.allSettled([...this.pendingAsync]);
  }

  private arnFor(nameOrArn: string): string {
    if (nameOrArn.startsWith('arn:')) return nameOrArn;
    const { model } = this.options;
    return `arn:aws:lambda:${model.region}:${model.accountId}:function:${nameOrArn}`;
  }

  private authorize(fn: FunctionSpec, caller: S3Caller | undefined): void {
    if (caller === undefined) return;
    const { model, clock } = this.options;
    const result = authorizeInvoke(model, caller, fn.arn, fn.resourcePolicy, clock);
    if (result.decision === 'Allow') return;
    if (caller.kind === 'service') throw lambdaErrors.serviceDenied(caller.service, fn.arn);
    throw lambdaErrors.accessDenied(
      caller.kind === 'role' ? caller.credentials.assumedRoleArn : 'anonymous',
      fn.arn,
    );
  }

  private checkRunnable(fn: FunctionSpec): void {
    if (fn.code.kind === 'not-runnable') throw lambdaErrors.notRunnable(fn.name, fn.code.reason);
    const { model, clock } = this.options;
    if (authorizeServiceAssumeRole(model, fn.roleArn, 'lambda.amazonaws.com', clock).decision !== 'Allow')
      throw lambdaErrors.roleNotAssumable();
    if (fn.reservedConcurrency === 0) throw lambdaErrors.throttled();
  }

  private async run(fn: FunctionSpec, event: unknown, requestId: string): Promise<InvocationOutcome> {
    const { logger } = this.options;
    const timeoutMs = fn.timeoutSeconds * 1000;
    const started = Date.now();
    let outcome: InvocationOutcome;
    try {
      outcome = await this.pool(fn).run((worker) => {
        logger.info(`[${fn.name}] START RequestId: ${requestId} Version: $LATEST`);
        return worker.invoke({ requestId, event, invokedFunctionArn: fn.arn, timeoutMs });
      });
    } catch (err) {
      if (err instanceof AwsError) throw err;
      // The environment could not start (its code cannot be prepared): Lambda's init error.
      outcome = {
        kind: 'error',
        error: {
          errorType: 'Runtime.ImportModuleError',
          errorMessage: err instanceof Error ? err.message : String(err),
        },
      };
    }
    if (outcome.kind === 'ok' && Buffer.byteLength(outcome.payload) > SYNC_RESPONSE_LIMIT) {
      outcome = {
        kind: 'error',
        error: {
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${SYNC_RESPONSE_LIMIT} bytes).`,
        },
      };
    }
    logger.info(`[${fn.name}] END RequestId: ${requestId}`);
    logger.info(
      `[${fn.name}] REPORT RequestId: ${requestId} Duration: ${Date.now() - started} ms Memory Size: ${fn.memoryMb} MB`,
    );
    if (outcome.kind === 'error') {
      const log = outcome.error.errorType === 'Sandbox.Timedout' ? logger.error : logger.warn;
      log.call(logger, `[${fn.name}] ${requestId} ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
    }
    return outcome;
  }

  private async runAsync(fn: FunctionSpec, event: unknown, requestId: string): Promise<AsyncInvocationEnd> {
    const attempts = 1 + fn.asyncInvoke.maximumRetryAttempts;
    let last: FunctionError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        try {
          await sleep(this.retryDelaysMs[attempt - 2] ?? this.retryDelaysMs.at(-1) ?? 0, undefined, {
            signal: this.shutdown.signal,
          });
        } catch {
          return 'stopped'; // the sandbox is stopping: the event is not retried here
        }
      }
      const outcome = await this.run(fn, event, requestId).catch((err: unknown) => ({
        kind: 'error' as const,
        error: {
          errorType: err instanceof AwsError ? err.code : 'ServiceException',
          errorMessage: String(err),
        },
      }));
      if (outcome.kind === 'ok') return 'succeeded';
      if (this.shutdown.signal.aborted) return 'stopped';
      last = outcome.error;
      if (attempt < attempts)
        this.options.logger.warn(
          `[${fn.name}] ${requestId} attempt ${attempt} of ${attempts} failed; retrying`,
        );
    }
    await this.recordFailure(fn, event, requestId, attempts, last!);
    return 'dead-lettered';
  }

  /**
   * The on-failure destination's record. The sandbox emulates no SQS, SNS or EventBridge, so the
   * record goes to the dead-letter log in the state folder, naming the destination it was for.
   */
  private async recordFailure(
    fn: FunctionSpec,
    event: unknown,
    requestId: string,
    attempts: number,
    error: FunctionError,
  ): Promise<void> {
    const record: AsyncFailureRecord = {
      version: '1.0',
      timestamp: this.options.clock.now().toISOString(),
      requestContext: {
        requestId,
        functionArn: `${fn.arn}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: attempts,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: error,
    };
    await mkdir(join(this.options.stateDir, 'lambda'), { recursive: true });
    await appendFile(
      this.deadLetterFile,
      `${JSON.stringify({ destination: fn.asyncInvoke.onFailure ?? null, record })}\n`,
    );
    this.options.logger.error(
      `[${fn.name}] ${requestId} failed ${attempts} times (${error.errorType}: ${error.errorMessage}); recorded in ${this.deadLetterFile}${
        fn.asyncInvoke.onFailure ? ` for ${fn.asyncInvoke.onFailure} (not emulated)` : ''
      }`,
    );
  }

  private pool(fn: FunctionSpec): EnvironmentPool {
    let pool = this.pools.get(fn.name);
    if (!pool) {
      const { clock } = this.options;
      const limit = fn.reservedConcurrency ?? this.options.defaultConcurrency ?? DEFAULT_CONCURRENCY;
      const timeoutMs = fn.timeoutSeconds * 1000;
      pool = new EnvironmentPool(
        limit,
        () => this.startEnvironment(fn),
        (worker) =>
          worker.alive &&
          worker.credentialsExpireAt - clock.now().getTime() > timeoutMs + CREDENTIALS_MARGIN_MS,
      );
      this.pools.set(fn.name, pool);
    }
    return pool;
  }

  /** A new execution environment, with fresh credentials for the function's role. */
  private async startEnvironment(fn: FunctionSpec): Promise<FunctionWorker> {
    if (fn.code.kind !== 'asset') throw lambdaErrors.notRunnable(fn.name, 'no code');
    const { model, clock, logger, stateDir } = this.options;
    const taskRoot = await this.taskRoot(fn, fn.code);
    this.runtimeModules ??= prepareRuntimeModules(stateDir);
    const credentials = issueFunctionCredentials(model, fn, clock);
    await this.options.credentials.put(credentials);
    const env = functionEnvironment(fn, taskRoot, {
      region: model.region,
      endpoint: this.options.endpoint(),
      credentials,
      runtimeModules: await this.runtimeModules,
      noConfigFile: join(stateDir, 'lambda', 'no-aws-config'),
    });
    return new FunctionWorker(
      {
        taskRoot,
        env,
        memoryMb: fn.memoryMb,
        onLine: (line, stream) =>
          (stream === 'stderr' ? logger.warn : logger.info).call(logger, `[${fn.name}] ${line}`),
      },
      credentials.expiration.getTime(),
    );
  }

  private taskRoot(fn: FunctionSpec, code: { path: string; hash: string }): Promise<string> {
    let root = this.taskRoots.get(fn.name);
    if (!root) {
      this.sharp ??= hostSharp();
      root = this.sharp.then((host) =>
        taskRootFor(code, join(this.options.stateDir, 'lambda', 'assets'), host),
      );
      // A failure is reported to this invocation and tried again by the next one.
      root.catch(() => this.taskRoots.delete(fn.name));
      this.taskRoots.set(fn.name, root);
    }
    return root;
  }
}
