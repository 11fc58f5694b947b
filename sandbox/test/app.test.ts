/** The sandbox's own endpoints under /_sandbox/, on the fixture assembly (no synth). */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CdkOutputs } from '@image-share/contracts/outputs';
import { startSandbox, type RunningSandbox } from '../src/app';
import { ADMIN_TOKEN_HEADER, adminTokenFromOutputs } from '../src/core/admin-token';
import { MemoryLogger } from '../src/core/logger';
import { FIXTURE_CDK_OUT } from './iam/fixture-model';

let stateDir: string;
let sandbox: RunningSandbox;
let outputsFile: string;
/** Read the way the CLI and the tools read it: from the outputs file the sandbox wrote. */
let token: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-app-'));
  outputsFile = join(stateDir, 'outputs.sandbox.json');
  sandbox = await startSandbox({
    port: 0,
    stateDir,
    cdkOutDir: FIXTURE_CDK_OUT,
    outputsFile,
    logger: new MemoryLogger(),
  });
  token = adminTokenFromOutputs(JSON.parse(await readFile(outputsFile, 'utf8')) as CdkOutputs);
});

afterAll(async () => {
  await sandbox.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function addToGroup(body: string): Promise<{ status: number; message: unknown }> {
  const res = await fetch(`${sandbox.endpoint}/_sandbox/admin/add-user-to-group`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ADMIN_TOKEN_HEADER]: token },
    body,
  });
  return { status: res.status, message: ((await res.json()) as { message?: unknown }).message };
}

const withToken = (): Record<string, string> => ({ [ADMIN_TOKEN_HEADER]: token });

test('health answers ok; an unknown sandbox path is a 404', async () => {
  const health = await fetch(`${sandbox.endpoint}/_sandbox/health`, { headers: withToken() });
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  expect((await fetch(`${sandbox.endpoint}/_sandbox/nothing-here`, { headers: withToken() })).status).toBe(
    404,
  );
});

test('the admin token is random per start, printed, and in the owner-only outputs file', async () => {
  expect(token).toMatch(/^[\w-]{43}$/);
  expect(token).toBe(sandbox.adminToken);
  expect((await stat(outputsFile)).mode & 0o077).toBe(0);
  const printed = new MemoryLogger();
  const otherState = await mkdtemp(join(tmpdir(), 'sandbox-app-'));
  const other = await startSandbox({
    port: 0,
    stateDir: otherState,
    cdkOutDir: FIXTURE_CDK_OUT,
    logger: printed,
  });
  try {
    expect(other.adminToken).not.toBe(token);
    expect(printed.lines.some((line) => line.message.includes(other.adminToken))).toBe(true);
  } finally {
    await other.close();
    await rm(otherState, { recursive: true, force: true });
  }
});

describe('cross-origin use of /_sandbox/ (a web page on another origin reaches loopback too)', () => {
  const victim = 'victim@example.com';

  test('a no-cors text/plain POST to add-user-to-group cannot make a user an admin', async () => {
    const res = await fetch(`${sandbox.endpoint}/_sandbox/admin/add-user-to-group`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
      body: JSON.stringify({ email: victim, group: 'admins' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('even with the token, a body that is not application/json is refused with 415', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await fetch(`${sandbox.endpoint}/_sandbox/admin/add-user-to-group`, {
        method: 'POST',
        headers: { 'content-type': type, ...withToken() },
        body: JSON.stringify({ email: victim, group: 'admins' }),
      });
      expect(res.status).toBe(415);
    }
    const noType = await fetch(`${sandbox.endpoint}/_sandbox/admin/add-user-to-group`, {
      method: 'POST',
      headers: withToken(),
      body: new Uint8Array(Buffer.from('{}')),
    });
    expect(noType.status).toBe(415);
  });

  test('the mailbox (reset codes) answers no CORS and nothing without the token', async () => {
    await sandbox.mailbox.send({ to: victim, subject: 'Your code', body: 'code 123456', code: '123456' });
    const res = await fetch(`${sandbox.endpoint}/_sandbox/mailbox?to=${encodeURIComponent(victim)}`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.text()).not.toContain('123456');
    const owner = await fetch(`${sandbox.endpoint}/_sandbox/mailbox?to=${encodeURIComponent(victim)}`, {
      headers: withToken(),
    });
    expect(owner.status).toBe(200);
    expect(owner.headers.get('access-control-allow-origin')).toBeNull();
    expect(JSON.stringify(await owner.json())).toContain('123456');
  });

  test('every /_sandbox/ GET (what <img> and <script> can send) needs the token; a wrong one is refused', async () => {
    for (const path of ['health', 'mailbox', 'outputs', 'nothing-here']) {
      const none = await fetch(`${sandbox.endpoint}/_sandbox/${path}`);
      expect([path, none.status]).toEqual([path, 401]);
      expect(none.headers.get('access-control-allow-origin')).toBeNull();
      expect(none.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      const wrong = await fetch(`${sandbox.endpoint}/_sandbox/${path}`, {
        headers: { [ADMIN_TOKEN_HEADER]: `${token.slice(0, -1)}A` },
      });
      expect([path, wrong.status]).toEqual([path, 401]);
    }
    const outputs = await fetch(`${sandbox.endpoint}/_sandbox/outputs`, { headers: withToken() });
    expect(outputs.status).toBe(200);
    expect(outputs.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a CORS preflight is refused, so a page cannot send the token header either', async () => {
    const res = await fetch(`${sandbox.endpoint}/_sandbox/admin/add-user-to-group`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': `content-type, ${ADMIN_TOKEN_HEADER}`,
      },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-headers')).toBeNull();
  });
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
