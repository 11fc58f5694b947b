/**
 * Server processes for the benchmark: started with `node --require tsx/cjs`, the loader the sandbox
 * CLI uses (so the pid we hold is the node process itself, not a tsx wrapper), ready when
 * they send their endpoint over IPC, and always stopped by their own pid.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryMessage, ReadyMessage } from './child-ipc';

const BENCH_DIR = __dirname;
const SANDBOX_DIR = join(BENCH_DIR, '..');
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly endpoint: string;
  /** Peak and current resident set size in bytes, from /proc/<pid>/status (VmHWM, VmRSS). */
  memory(): { peak: number; current: number } | undefined;
  /** V8's split of the process's memory (heap, array buffers), asked over IPC; undefined if it does not answer in 1 s. */
  memoryUsage(): Promise<NodeJS.MemoryUsage | undefined>;
  /** CPU seconds (user + system, all threads) the process has used so far, from /proc/<pid>/stat. */
  cpuSeconds(): number;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Last-resort cleanup for exit paths that cannot await (uncaught errors, signals). */
export function killAllChildrenNow(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/**
 * The node flags `pnpm sandbox` starts the sandbox with (sandbox/package.json, script "sandbox",
 * everything between `node` and the loader), so that the benchmark measures the sandbox exactly as
 * it runs, whatever V8 settings the CLI gets.
 */
export function cliNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(SANDBOX_DIR, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const script = pkg.scripts?.sandbox ?? '';
  const words = script.split(/\s+/).filter((w) => w !== '');
  const loader = words.indexOf('--require');
  if (words[0] !== 'node' || loader === -1 || words[loader + 1] !== 'tsx/cjs') {
    throw new Error(`the "sandbox" script is no longer "node [flags] --require tsx/cjs ...": ${script}`);
  }
  return words.slice(1, loader);
}

export async function startServerProcess(
  name: string,
  script: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [...nodeFlags, '--require', 'tsx/cjs', join(BENCH_DIR, script), ...args],
    {
      cwd: SANDBOX_DIR,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  // Keep the tail of the output for error reports; reading it also keeps the pipes from filling up.
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    tail.splice(0, Math.max(0, tail.length - 20));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    const done = () => {
      clearTimeout(timer);
      child.off('error', fail);
      child.off('exit', exitedEarly);
    };
    const fail = (err: Error) => {
      done();
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n  ${tail.join('\n  ')}`));
    };
    const exitedEarly = (code: number | null, signal: string | null) =>
      fail(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
    child.once('error', fail);
    child.once('exit', exitedEarly);
    child.once('message', (message: Partial<ReadyMessage>) => {
      if (typeof message.endpoint !== 'string')
        return fail(new Error(`${name} sent an unexpected message: ${JSON.stringify(message)}`));
      done();
      resolve(message.endpoint);
    });
  });

  const pid = child.pid!;
  return {
    name,
    pid,
    endpoint,
    memory: () => readMemory(pid),
    cpuSeconds: () => readCpuSeconds(pid),
    memoryUsage: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => done(undefined), 1_000);
        const onMessage = (message: Partial<MemoryMessage>) => {
          if (message.memoryUsage) done(message.memoryUsage);
        };
        const done = (usage: NodeJS.MemoryUsage | undefined) => {
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(usage);
        };
        child.on('message', onMessage);
        if (child.connected) child.send({ memoryUsage: true });
        else done(undefined);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

function readMemory(pid: number): { peak: number; current: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peak: kib('VmHWM'), current: kib('VmRSS') };
}

let ticksPerSecond: number | undefined;

function readCpuSeconds(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
