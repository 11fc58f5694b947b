/** One execution environment on its own: how it ends when its code or its parent goes away. */
import { fork } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionWorker } from '../../src/services/lambda/worker';

let taskRoot: string;

beforeAll(async () => {
  taskRoot = await mkdtemp(join(tmpdir(), 'sandbox-worker-'));
  await writeFile(
    join(taskRoot, 'index.js'),
    `exports.crash = async () => { setTimeout(() => { throw new Error('escaped the handler'); }, 1); return new Promise(() => {}); };
exports.notAFunction = 42;
`,
  );
  // A function that leaves a timer running, as SDK clients and connection pools do.
  await writeFile(
    join(taskRoot, 'alive.js'),
    `setInterval(() => {}, 1000);
exports.handler = async () => 'loaded';
`,
  );
});

afterAll(async () => {
  await rm(taskRoot, { recursive: true, force: true });
});

function worker(handler: string, lines: string[] = []): FunctionWorker {
  return new FunctionWorker(
    {
      taskRoot,
      env: { LAMBDA_TASK_ROOT: taskRoot, _HANDLER: handler },
      memoryMb: 128,
      onLine: (line) => lines.push(line),
    },
    Number.MAX_SAFE_INTEGER,
  );
}

const invoke = (w: FunctionWorker) =>
  w.invoke({ requestId: 'r-1', event: {}, invokedFunctionArn: 'arn', timeoutMs: 5000 });

test('an exception that escapes the handler is reported for the invocation, and the environment ends', async () => {
  const w = worker('index.crash');
  expect(await invoke(w)).toMatchObject({
    kind: 'error',
    error: { errorType: 'Error', errorMessage: 'escaped the handler' },
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(w.alive).toBe(false);
});

test("a handler that is not exported, or a path out of the asset, is Lambda's handler error", async () => {
  const missing = worker('index.notAFunction');
  expect(await invoke(missing)).toMatchObject({
    kind: 'error',
    error: { errorType: 'Runtime.HandlerNotFound' },
  });
  await missing.stop();
  const escaping = worker('../../etc/passwd.handler');
  expect(await invoke(escaping)).toMatchObject({
    kind: 'error',
    error: { errorType: 'Runtime.MalformedHandlerName' },
  });
  await escaping.stop();
});

test('an environment whose sandbox goes away (even killed with -9) exits instead of living on', async () => {
  const child = fork(join(__dirname, '..', '..', 'src', 'services', 'lambda', 'bootstrap.cjs'), [], {
    env: { LAMBDA_TASK_ROOT: taskRoot, _HANDLER: 'alive.handler' },
    execArgv: [],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code) => resolve(`exit ${code}`)));
  const loaded = new Promise((resolve) => child.once('message', resolve));
  child.send({
    type: 'invoke',
    requestId: 'r-1',
    event: {},
    invokedFunctionArn: 'arn',
    deadline: Date.now() + 5000,
  });
  expect(await loaded).toMatchObject({ payload: '"loaded"' });
  // What the operating system does to the IPC channel when the parent dies.
  child.disconnect();
  const outcome = await Promise.race([
    exited,
    new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 3000)),
  ]);
  child.kill('SIGKILL');
  expect(outcome).toBe('exit 0');
});
