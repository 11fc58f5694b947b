/** The sandbox's own endpoints under /_sandbox/, on the fixture assembly (no synth). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../src/app';
import { MemoryLogger } from '../src/core/logger';
import { FIXTURE_CDK_OUT } from './iam/fixture-model';

let stateDir: string;
let sandbox: RunningSandbox;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-app-'));
  sandbox = await startSandbox({
    port: 0,
    stateDir,
    cdkOutDir: FIXTURE_CDK_OUT,
    logger: new MemoryLogger(),
  });
});

afterAll(async () => {
  await sandbox.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function addToGroup(body: string): Promise<{ status: number; message: unknown }> {
  const res = await fetch(`${sandbox.endpoint}/_sandbox/admin/add-user-to-group`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, message: ((await res.json()) as { message?: unknown }).message };
}

test('health answers ok; an unknown sandbox path is a 404', async () => {
  const health = await fetch(`${sandbox.endpoint}/_sandbox/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  expect((await fetch(`${sandbox.endpoint}/_sandbox/nothing-here`)).status).toBe(404);
});

test('add-user-to-group refuses a body that is not JSON, or not {email, group}, with a 400', async () => {
  expect(await addToGroup('{not json')).toEqual({ status: 400, message: 'The body is not valid JSON.' });
  const shape = { status: 400, message: 'Send {"email": "...", "group": "..."}.' };
  expect(await addToGroup('null')).toEqual(shape);
  expect(await addToGroup('{"email": "a@example.com"}')).toEqual(shape);
});

test('add-user-to-group passes on the user pool error for an unknown user', async () => {
  const { status, message } = await addToGroup(
    JSON.stringify({ email: 'nobody@example.com', group: 'admins' }),
  );
  expect(status).toBe(400);
  expect(message).toMatch(/does not exist/);
});
