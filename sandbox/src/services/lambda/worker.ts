/**
 * One execution environment: a child `node` process running bootstrap.cjs for one function. A
 * process, not a worker thread, because that is what Lambda isolates a function with: its own
 * heap (sized by MemorySize), its own environment variables and module cache, and a timeout is
 * enforced by killing it, which stops any code, even a busy loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** What one invocation produced: the handler's JSON result, or its error. */
export type InvocationOutcome =
  | { readonly kind: 'ok'; readonly payload: string }
  | { readonly kind: 'error'; readonly error: FunctionError };

export interface WorkerOptions {
  /** The folder the handler is loaded from (LAMBDA_TASK_ROOT). */
  readonly taskRoot: string;
  /** The whole environment of the process: nothing of the sandbox's own is inherited. */
  readonly env: Readonly<Record<string, string>>;
  readonly memoryMb: number;
  /** Each line the function prints, with the stream it came from. */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
}

type Result = { type: 'result'; requestId: string; payload?: string; error?: FunctionError };

const BOOTSTRAP = join(__dirname, 'bootstrap.cjs');

export class FunctionWorker {
  private readonly child: ChildProcess;
  private pending:
    { requestId: string; resolve: (outcome: InvocationOutcome) => void; timer: NodeJS.Timeout } | undefined;
  private exited = false;
  private killedForTimeout = false;

  constructor(
    options: WorkerOptions,
    /** When the credentials in its environment stop being valid; the pool retires it before. */
    readonly credentialsExpireAt: number,
  ) {
    this.child = fork(BOOTSTRAP, [], {
      cwd: options.taskRoot,
      // Lambda sets no NODE_ENV; the cast is for Next's ProcessEnv (NODE_ENV required), which
      // applies when the web app's e2e support type-checks the sandbox it starts.
      env: { ...options.env } as NodeJS.ProcessEnv,
      // Never the sandbox's own flags (tsx, inspector): the function runs on bare node.
      execArgv: [`--max-old-space-size=${Math.max(16, Math.floor(options.memoryMb * 0.9))}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.lines(this.child.stdout, 'stdout', options);
    this.lines(this.child.stderr, 'stderr', options);
    this.child.on('message', (message: Result) => {
      const pending = this.pending;
      if (message?.type !== 'result' || pending?.requestId !== message.requestId) return;
      this.settle(
        message.error
          ? { kind: 'error', error: message.error }
          : { kind: 'ok', payload: message.payload ?? 'null' },
      );
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      if (this.killedForTimeout) return;
      this.settle({
        kind: 'error',
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: `Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}`,
        },
      });
    });
    this.child.on('error', () => {
      // A failed spawn or IPC send is followed by 'exit', which reports it.
    });
  }

  get alive(): boolean {
    return !this.exited && !this.killedForTimeout;
  }

  /** Runs one invocation; on timeout the process is killed and the outcome is Lambda's timeout error. */
  invoke(request: {
    requestId: string;
    event: unknown;
    invokedFunctionArn: string;
    timeoutMs: number;
  }): Promise<InvocationOutcome> {
    if (this.pending) throw new Error('An execution environment runs one invocation at a time');
    const deadline = Date.now() + request.timeoutMs;
    return new Promise<InvocationOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.killedForTimeout = true;
        this.child.kill('SIGKILL');
        this.settle({
          kind: 'error',
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: ${request.requestId} Error: Task timed out after ${(request.timeoutMs / 1000).toFixed(2)} seconds`,
          },
        });
      }, request.timeoutMs);
      this.pending = { requestId: request.requestId, resolve, timer };
      if (this.exited) {
        this.settle({
          kind: 'error',
          error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited before the invocation' },
        });
        return;
      }
      this.child.send({
        type: 'invoke',
        requestId: request.requestId,
        event: request.event,
        invokedFunctionArn: request.invokedFunctionArn,
        deadline,
      });
    });
  }

  /** Stops the process; an invocation still running ends with Runtime.ExitError. */
  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }

  private settle(outcome: InvocationOutcome): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }

  private lines(stream: Readable | null, name: 'stdout' | 'stderr', options: WorkerOptions): void {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => options.onLine(line, name));
  }
}
