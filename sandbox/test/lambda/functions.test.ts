/**
 * The Lambda service on the fixture assembly (test/fixtures/lambda-cdk-out): real child processes
 * running the fixture assets, invoked in process (as S3 events and AppSync will) and over the API
 * with `@aws-sdk/client-lambda`.
 */
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../src/app';
import { MemoryLogger } from '../../src/core/logger';

const FIXTURE = join(__dirname, '..', 'fixtures', 'lambda-cdk-out');
const BUCKET = 'lambda-fixture-files';

let stateDir: string;
let sandbox: RunningSandbox;
const logger = new MemoryLogger();

beforeAll(async () => {
  // What a developer's machine may have: none of it may reach a function.
  process.env.HOME_SECRET = 'from the developer machine';
  process.env.AWS_PROFILE = 'developer';
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-lambda-'));
  sandbox = await startSandbox({
    port: 0,
    stateDir,
    cdkOutDir: FIXTURE,
    logger,
    lambdaRetryDelaysMs: [20, 40],
  });
});

afterAll(async () => {
  delete process.env.HOME_SECRET;
  delete process.env.AWS_PROFILE;
  await sandbox?.close();
  await rm(stateDir, { recursive: true, force: true });
});

const decode = (payload: string) => JSON.parse(payload) as Record<string, unknown>;

async function invokeOk(name: string, event: unknown): Promise<Record<string, unknown>> {
  const outcome = await sandbox.functions.invoke(name, event, { type: 'RequestResponse' });
  if (outcome.kind !== 'ok') throw new Error(`${name} failed: ${JSON.stringify(outcome.error)}`);
  return decode(outcome.payload);
}

function logLines(prefix: string): string[] {
  return logger.lines.map((l) => l.message).filter((m) => m.startsWith(prefix));
}

describe('deploy', () => {
  test('functions get their ARN; what cannot run is listed with the reason, not dropped', () => {
    const echo = sandbox.model.functions.get('echo')!;
    expect(echo.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:echo');
    expect(sandbox.outputs.Lambda!.EchoArn).toBe(echo.arn);
    expect(sandbox.model.functions.get('s3-writer')!.code).toMatchObject({ kind: 'asset' });
    const notRunnable = sandbox.model.unsupported
      .filter((u) => u.type.startsWith('AWS::Lambda::Function ('))
      .map((u) => [u.logicalId, u.type]);
    expect(notRunnable).toEqual(
      expect.arrayContaining([
        ['InlineFunction', 'AWS::Lambda::Function (not runnable: inline code (ZipFile))'],
        [
          'PythonFunction',
          'AWS::Lambda::Function (not runnable: runtime python3.13; the sandbox runs nodejs*)',
        ],
        [
          'SharpFunction',
          'AWS::Lambda::Function (not runnable: its code is not an asset of the cloud assembly)',
        ],
      ]),
    );
    expect(sandbox.model.unsupported).toContainEqual({
      stack: 'Lambda',
      logicalId: 'FailConfig',
      type: 'AWS::Lambda::EventInvokeConfig DestinationConfig.OnFailure',
    });
  });

  test('a function that cannot run answers 501, naming the reason', async () => {
    await expect(
      sandbox.functions.invoke('Lambda-PythonFunction', {}, { type: 'RequestResponse' }),
    ).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    const python = [...sandbox.model.functions.values()].find((f) => f.logicalId === 'PythonFunction')!;
    await expect(
      sandbox.functions.invoke(python.name, {}, { type: 'RequestResponse' }),
    ).rejects.toMatchObject({
      code: 'NotImplemented',
      status: 501,
      message: expect.stringContaining('runtime python3.13'),
    });
  });
});

describe('synchronous invocation', () => {
  test('runs the handler with the template environment, Lambda variables and a context', async () => {
    const out = await invokeOk('echo', { hello: 'world' });
    const fn = sandbox.model.functions.get('echo')!;
    expect(out.event).toEqual({ hello: 'world' });
    expect(out.env).toEqual({
      BUCKET, // Ref to the bucket, resolved
      ROLE_ARN: fn.roleArn, // Fn::GetAtt, resolved
      GREETING: 'hello',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'echo',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_ENDPOINT_URL: sandbox.endpoint,
      AWS_ACCESS_KEY_ID: expect.stringMatching(/^ASIA[A-Z0-9]{16}$/),
      AWS_SESSION_TOKEN: expect.any(String),
      LAMBDA_TASK_ROOT: fn.code.kind === 'asset' ? fn.code.path : 'none',
    });
    const context = out.context as Record<string, unknown>;
    expect(context).toMatchObject({
      functionName: 'echo',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: '256',
      awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(context.remaining).toBeGreaterThan(5000);
    expect(context.remaining).toBeLessThanOrEqual(7000);
  });

  test('nothing of the machine reaches the function: no AWS profile, no variable of the sandbox', async () => {
    const env = (await invokeOk('echo', {})).env as Record<string, unknown>;
    expect(process.env.AWS_PROFILE).toBe('developer');
    expect(env).not.toHaveProperty('AWS_PROFILE');
    expect(env).not.toHaveProperty('HOME_SECRET');
  });

  test('a warm environment is reused: module state survives between invocations', async () => {
    const first = await invokeOk('echo', {});
    const second = await invokeOk('echo', {});
    expect(second.pid).toBe(first.pid);
    expect(second.invocations).toBe((first.invocations as number) + 1);
  });

  test('callback-style handlers answer through the callback; console lines appear under the function name', async () => {
    expect(await invokeOk('callback-style', { name: 'Ana' })).toEqual({ greeting: 'hi Ana' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logLines('[callback-style]').some((m) => /\tINFO\tcalled back for Ana$/.test(m))).toBe(true);
    expect(logLines('[callback-style] REPORT')[0]).toMatch(/Memory Size: 128 MB/);
  });

  test("a thrown error comes back as AppSync reads it: errorType is the error's name", async () => {
    const outcome = await sandbox.functions.invoke('fail', { id: 7 }, { type: 'RequestResponse' });
    expect(outcome).toMatchObject({
      kind: 'error',
      error: { errorType: 'ValidationError', errorMessage: 'bad input 7' },
    });
  });

  test('a function past its timeout is killed and reported as timed out', async () => {
    const started = Date.now();
    const outcome = await sandbox.functions.invoke('slow', {}, { type: 'RequestResponse' });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(outcome).toMatchObject({
      kind: 'error',
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringMatching(/Task timed out after 1.00 seconds/),
      },
    });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/^\[slow\] .* Sandbox.Timedout/),
      }),
    );
    // The busy loop is gone with its process; the next invocation gets a fresh environment.
    const again = await sandbox.functions.invoke('slow', {}, { type: 'RequestResponse' });
    expect(again).toMatchObject({ kind: 'error', error: { errorType: 'Sandbox.Timedout' } });
  });

  test('no more environments than the reserved concurrency: the rest wait their turn', async () => {
    const runs = await Promise.all([1, 2, 3, 4, 5].map(() => invokeOk('sleepy', { ms: 150 })));
    const pids = new Set(runs.map((r) => r.pid));
    expect(pids.size).toBeLessThanOrEqual(2);
    // At the moment any invocation started, at most two were running (itself included).
    for (const run of runs) {
      const t = run.started as number;
      const running = runs.filter((other) => (other.started as number) <= t && t < (other.ended as number));
      expect(running.length).toBeLessThanOrEqual(2);
    }
    // Five runs of 150 ms through two environments take at least three rounds.
    const span =
      Math.max(...runs.map((r) => r.ended as number)) - Math.min(...runs.map((r) => r.started as number));
    expect(span).toBeGreaterThanOrEqual(3 * 150 - 15);
  });
});

describe('asynchronous invocation', () => {
  test('a failing function is tried three times, then recorded for its on-failure destination', async () => {
    const { requestId } = await sandbox.functions.invoke('fail', { id: 'async-1' }, { type: 'Event' });
    await sandbox.functions.drain();
    const attempts = logLines('[fail]').filter((m) => m.includes('about to fail on {"id":"async-1"}'));
    expect(attempts).toHaveLength(3);
    const lines = (await readFile(sandbox.functions.deadLetterFile, 'utf8')).trim().split('\n');
    const entry = lines
      .map((l) => JSON.parse(l))
      .find((e) => e.record.requestContext.requestId === requestId);
    expect(entry).toEqual({
      destination: 'arn:aws:sqs:us-east-1:000000000000:failures',
      record: {
        version: '1.0',
        timestamp: expect.any(String),
        requestContext: {
          requestId,
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fail:$LATEST',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: { id: 'async-1' },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: expect.objectContaining({
          errorType: 'ValidationError',
          errorMessage: 'bad input async-1',
        }),
      },
    });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining(`${requestId} failed 3 times`),
      }),
    );
  });

  test('a succeeding asynchronous invocation runs once and records nothing', async () => {
    const { requestId } = await sandbox.functions.invoke(
      'callback-style',
      { name: 'async' },
      { type: 'Event' },
    );
    await sandbox.functions.drain();
    expect(logLines('[callback-style]').filter((m) => m.includes('called back for async'))).toHaveLength(1);
    const deadLetters = await readFile(sandbox.functions.deadLetterFile, 'utf8');
    expect(deadLetters).not.toContain(requestId);
  });
});

describe('IAM applies to what a function does', () => {
  test("the function's SDK, with its injected credentials, may write where its role allows and nowhere else", async () => {
    expect(await invokeOk('s3-writer', { bucket: BUCKET, key: 'allowed/from-function.txt' })).toEqual({
      written: 'allowed/from-function.txt',
    });
    expect(await invokeOk('s3-writer', { bucket: BUCKET, key: 'elsewhere/from-function.txt' })).toEqual({
      refused: 'elsewhere/from-function.txt',
      error: 'AccessDenied',
    });
  });

  test('a service invokes only when the function resource policy (AWS::Lambda::Permission) allows it', async () => {
    const bucketArn = `arn:aws:s3:::${BUCKET}`;
    const asS3 = (sourceArn: string) => ({
      type: 'RequestResponse' as const,
      caller: { kind: 'service' as const, service: 's3.amazonaws.com', sourceArn },
    });
    await expect(sandbox.functions.invoke('echo', {}, asS3(bucketArn))).resolves.toMatchObject({
      kind: 'ok',
    });
    await expect(
      sandbox.functions.invoke('echo', {}, asS3('arn:aws:s3:::another-bucket')),
    ).rejects.toMatchObject({
      code: 'AccessDeniedException',
    });
    await expect(sandbox.functions.invoke('callback-style', {}, asS3(bucketArn))).rejects.toMatchObject({
      code: 'AccessDeniedException',
    });
  });
});

describe('Invoke over the API with @aws-sdk/client-lambda', () => {
  let lambda: LambdaClient;

  beforeAll(async () => {
    const identity = new CognitoIdentityClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: { accessKeyId: 'AKIDUNUSED', secretAccessKey: 'unused' },
    });
    const { IdentityId } = await identity.send(
      new GetIdCommand({ IdentityPoolId: sandbox.outputs.Lambda!.IdentityPoolId }),
    );
    const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    lambda = new LambdaClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      maxAttempts: 1,
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretKey!,
        sessionToken: Credentials!.SessionToken!,
      },
    });
  });

  const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

  test('a role allowed lambda:InvokeFunction gets the result', async () => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: payload({ via: 'api' }) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(decode(new TextDecoder().decode(out.Payload)).event).toEqual({ via: 'api' });
  });

  test('by ARN too; an error is X-Amz-Function-Error: Unhandled with the error as payload', async () => {
    const arn = sandbox.model.functions.get('fail')!.arn;
    const out = await lambda.send(new InvokeCommand({ FunctionName: arn, Payload: payload({ id: 'api' }) }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(decode(new TextDecoder().decode(out.Payload))).toMatchObject({
      errorType: 'ValidationError',
      errorMessage: 'bad input api',
    });
  });

  test('Event invocations are accepted with 202', async () => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: payload({}) }),
    );
    expect(out.StatusCode).toBe(202);
    await sandbox.functions.drain();
  });

  test('a function outside the role policy is refused with AccessDeniedException, and never runs', async () => {
    const before = logLines('[callback-style] START').length;
    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'callback-style', Payload: payload({ name: 'x' }) })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    expect(logLines('[callback-style] START')).toHaveLength(before);
  });

  test('an unknown function is ResourceNotFoundException; a bad payload InvalidRequestContentException', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      lambda.send(
        new InvokeCommand({ FunctionName: 'echo', Payload: new TextEncoder().encode('{not json') }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
  });

  test('unsigned, forged and unknown-key requests are refused before anything runs', async () => {
    const url = `${sandbox.endpoint}/2015-03-31/functions/echo/invocations`;
    const unsigned = await fetch(url, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');

    const forged = new LambdaClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      maxAttempts: 1,
      credentials: { ...(await lambda.config.credentials()), secretAccessKey: 'not-the-secret' },
    });
    await expect(forged.send(new InvokeCommand({ FunctionName: 'echo' }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    const unknown = new LambdaClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      maxAttempts: 1,
      credentials: { accessKeyId: 'ASIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x', sessionToken: 'y' },
    });
    await expect(unknown.send(new InvokeCommand({ FunctionName: 'echo' }))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });
});
