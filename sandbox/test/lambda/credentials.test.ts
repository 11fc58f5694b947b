/**
 * A function's credentials: issued for its execution role, registered with the credential store,
 * and renewed (a new environment) before they could expire during an invocation. Also how
 * functions are named, and that closing stops every environment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { deployCloudAssembly } from '../../src/deploy';
import type { DeployedModel } from '../../src/deploy/model';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { LambdaFunctions } from '../../src/services/lambda';

const FIXTURE = join(__dirname, '..', 'fixtures', 'lambda-cdk-out');

let stateDir: string;
let model: DeployedModel;
let functions: LambdaFunctions;
const clock = new ManualClock(new Date());
const store = FileCredentialStore.inMemory(clock);

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-lambda-credentials-'));
  model = await deployCloudAssembly({ cdkOutDir: FIXTURE, stateDir });
  functions = new LambdaFunctions({
    model,
    stateDir,
    clock,
    logger: silentLogger,
    credentials: store,
    endpoint: () => 'http://127.0.0.1:9',
  });
});

afterAll(async () => {
  await functions.close(); // also closed by the last test; closing twice is harmless
  await rm(stateDir, { recursive: true, force: true });
});

async function keyAndPid(): Promise<{ key: string; pid: number }> {
  const outcome = await functions.invoke('echo', {}, { type: 'RequestResponse' });
  if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome.error));
  const out = JSON.parse(outcome.payload) as { pid: number; env: { AWS_ACCESS_KEY_ID: string } };
  return { key: out.env.AWS_ACCESS_KEY_ID, pid: out.pid };
}

test("the credentials are the execution role's, in a session named after the function", async () => {
  const { key } = await keyAndPid();
  const stored = await store.get(key);
  const fn = model.functions.get('echo')!;
  expect(stored).toMatchObject({
    roleArn: fn.roleArn,
    assumedRoleArn: `arn:aws:sts::000000000000:assumed-role/${model.roles.get(fn.roleArn)!.name}/echo`,
  });
  expect(stored!.identityPoolId).toBeUndefined();
  expect(stored!.expiration.getTime() - clock.now().getTime()).toBe(60 * 60 * 1000);
});

test('an environment is renewed, with new credentials, before its credentials expire', async () => {
  const first = await keyAndPid();
  expect(await keyAndPid()).toEqual(first); // warm, same credentials
  clock.advance(50 * 60 * 1000); // ten minutes left: still more than the timeout and the margin
  expect(await keyAndPid()).toEqual(first);
  clock.advance(6 * 60 * 1000); // four minutes left: too close
  const renewed = await keyAndPid();
  expect(renewed.key).not.toBe(first.key);
  expect(renewed.pid).not.toBe(first.pid);
  expect((await store.get(renewed.key))!.expiration.getTime()).toBe(clock.now().getTime() + 60 * 60 * 1000);
});

test('a function is named by name, ARN or partial ARN, never by an ARN of another account or region', () => {
  const arn = model.functions.get('echo')!.arn;
  for (const name of ['echo', 'echo:$LATEST', arn, `${arn}:$LATEST`, '000000000000:function:echo'])
    expect(functions.resolve(name).name).toBe('echo');
  for (const name of [
    'arn:aws:lambda:us-east-1:111111111111:function:echo',
    'arn:aws:lambda:eu-west-1:000000000000:function:echo',
    '111111111111:function:echo',
    'echo:1',
    'ech',
    '../echo',
  ])
    expect(() => functions.resolve(name)).toThrow(
      expect.objectContaining({ code: 'ResourceNotFoundException' }),
    );
});

test('closing stops busy environments too: their invocations end instead of hanging', async () => {
  const running = functions.invoke('sleepy', { ms: 60_000 }, { type: 'RequestResponse' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = Date.now();
  await functions.close();
  await expect(running).resolves.toMatchObject({ kind: 'error', error: { errorType: 'Runtime.ExitError' } });
  expect(Date.now() - started).toBeLessThan(5000);
});
