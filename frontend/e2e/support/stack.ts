// The product on this machine for one test run: the CDK app synthesized with the web app's origin,
// the sandbox on a free loopback port with a fresh state folder, and a production build of the web
// app served by `next start`. stop() ends all of it; the child processes run under watchdog.cjs,
// so they also end when this process dies without calling it (Ctrl-C, a crash, SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CdkOutputs } from '@image-share/contracts/outputs';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/app';
import { adminTokenFromOutputs } from '../../../sandbox/src/core/admin-token';
import type { Logger } from '../../../sandbox/src/core/logger';
import { cachedSynth } from '../../../sandbox/src/synth';

export const FRONTEND = resolve(__dirname, '..', '..');
export const REPO_ROOT = resolve(FRONTEND, '..');
/** Every run's screenshots and logs (gitignored). */
export const ARTIFACTS = join(FRONTEND, 'e2e-artifacts');

const READY_TIMEOUT_MS = 60_000;

/** What the sandbox logs goes to a file, for whoever reads a failure. */
function fileLogger(file: WriteStream): Logger {
  const write =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      file.write(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export interface Stack {
  /** The web app, e.g. http://127.0.0.1:3917 */
  appUrl: string;
  sandbox: RunningSandbox;
  /** The sandbox's token for /_sandbox/ (mailbox, admin), read from the outputs file it wrote. */
  adminToken: string;
  /** CloudFront stand-in for public/ (no trailing slash). */
  publicBaseUrl: string;
  timings: Record<string, number>;
  stop(): Promise<void>;
}

/** A port nobody listens on now; `preferred` first, so the synth cache below usually hits. */
export async function freePort(preferred = 0): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolvePort) => {
      const server = createServer();
      server.once('error', () => resolvePort(undefined));
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
        const address = server.address();
        server.close(() => resolvePort(typeof address === 'object' && address ? address.port : undefined));
      });
    });
  if (preferred) {
    const port = await tryListen(preferred);
    if (port) return port;
  }
  const port = await tryListen(0);
  if (!port) throw new Error('no free loopback port');
  return port;
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The bucket's CORS rules come from the template, so the CDK app is synthesized with this run's
 * web origin (cached per source version and origin).
 */
function synthesize(origin: string): Promise<string> {
  return cachedSynth('frontend-e2e-cdk-out', { allowedOrigins: origin });
}

/**
 * `next build` output does not depend on the outputs file (pages read it per request), so a build
 * newer than every source it compiles is reused. E2E_REBUILD=1 forces a build.
 */
async function buildIsCurrent(): Promise<boolean> {
  if (process.env.E2E_REBUILD === '1') return false;
  const buildId = join(FRONTEND, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const builtAt = (await stat(buildId)).mtimeMs;
  const sources = [
    ...['app', 'pages', 'components', 'lib', 'public'].map((dir) => join(FRONTEND, dir)),
    join(REPO_ROOT, 'contracts', 'src'),
    join(REPO_ROOT, 'sandbox', 'src', 'routing'),
  ];
  const files = [
    ...['next.config.ts', 'instrumentation.ts', 'package.json', 'tsconfig.json'].map((f) =>
      join(FRONTEND, f),
    ),
    join(REPO_ROOT, 'pnpm-lock.yaml'),
    join(REPO_ROOT, 'sandbox', 'src', 'dev.ts'),
  ];
  for (const dir of sources) files.push(...(await filesUnder(dir)));
  for (const file of files) {
    if (existsSync(file) && (await stat(file)).mtimeMs >= builtAt) return false;
  }
  return true;
}

const WATCHDOG = join(__dirname, 'watchdog.cjs');
// Children still running, so stop() can end them whatever state the run is in.
const children = new Set<ChildProcess>();

/** Starts a command under the watchdog: it dies with this process even if this process is killed. */
function spawnGuarded(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
): ChildProcess {
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [WATCHDOG, command, ...args], {
    cwd: FRONTEND,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  children.add(child);
  child.once('exit', () => {
    children.delete(child);
    log.end();
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.stdin?.end(); // the watchdog's cue
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawnGuarded(command, args, env, logFile);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolveRun();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}); see ${logFile}`));
    });
  });
}

/**
 * Whether the child has printed a line matching `line` yet. Another process may hold the port the
 * child was given (a free port can be taken before the child binds it; the child then exits with
 * EADDRINUSE), so an answer on the port alone does not prove the child is the one answering.
 */
function hasPrinted(child: ChildProcess, line: RegExp): () => boolean {
  let seen = false;
  let tail = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (seen) return;
    tail = (tail + chunk.toString('utf8')).slice(-4096);
    seen = line.test(tail);
  });
  return () => seen;
}

async function waitUntilUp(
  url: string,
  child: ChildProcess,
  what: string,
  isListening: () => boolean,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${what} exited before it answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.status < 500 && isListening()) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

export async function startStack(): Promise<Stack> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      timings[name] = Date.now() - started;
    }
  };
  await mkdir(ARTIFACTS, { recursive: true });
  const scratch = await mkdtemp(join(tmpdir(), 'frontend-e2e-'));
  const stateDir = join(scratch, 'state');
  const outputsFile = join(scratch, 'outputs.sandbox.json');
  const logStream = createWriteStream(join(ARTIFACTS, 'sandbox.log'));
  const logger = fileLogger(logStream);
  let sandbox: RunningSandbox | undefined;
  let web: ChildProcess | undefined;

  const stop = async () => {
    if (web) await stopChild(web);
    for (const child of [...children]) await stopChild(child);
    await sandbox?.close();
    await new Promise((r) => logStream.end(r));
    await rm(scratch, { recursive: true, force: true });
  };

  try {
    const webPort = await freePort(3917);
    // 127.0.0.1 rather than localhost, which may also mean ::1 where another server could listen.
    // Both are secure contexts, which the service worker needs. The bucket's CORS names this origin.
    const appUrl = `http://127.0.0.1:${webPort}`;
    const env = { ...process.env, APP_OUTPUTS_FILE: outputsFile, NEXT_TELEMETRY_DISABLED: '1' };
    const buildWork = timed('build', async () => {
      if (await buildIsCurrent()) return;
      await run('pnpm', ['run', 'build'], env, join(ARTIFACTS, 'next-build.log'));
    });
    // The build does not need the sandbox; both run at once.
    const sandboxWork = (async () => {
      const cdkOutDir = await timed('synth', () => synthesize(appUrl));
      sandbox = await timed('sandbox', () =>
        startSandbox({ port: 0, stateDir, cdkOutDir, synth: false, outputsFile, logger }),
      );
    })();
    // Both settle before anything is judged, so a failure of one never leaves the other running unseen.
    const settled = await Promise.allSettled([buildWork, sandboxWork]);
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    const running = sandbox as RunningSandbox | undefined;
    if (!running) throw new Error('the sandbox did not start');

    web = spawnGuarded(
      process.execPath,
      [
        join(FRONTEND, 'node_modules', 'next', 'dist', 'bin', 'next'),
        'start',
        '-p',
        String(webPort),
        '-H',
        '127.0.0.1',
      ],
      env,
      join(ARTIFACTS, 'next-start.log'),
    );
    // Next prints this once it has bound the port itself.
    const webListening = hasPrinted(web, /Ready in/);
    await timed('web', () => waitUntilUp(`${appUrl}/`, web as ChildProcess, 'next start', webListening));

    const publicBaseUrl = Object.values(running.outputs).find((stack) => stack.PublicBaseUrl)?.PublicBaseUrl;
    if (!publicBaseUrl) throw new Error('the sandbox outputs have no PublicBaseUrl');
    const adminToken = adminTokenFromOutputs(JSON.parse(await readFile(outputsFile, 'utf8')) as CdkOutputs);
    return {
      appUrl,
      sandbox: running,
      adminToken,
      publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
      timings,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
