/**
 * A function's execution environments, at most `limit` at once (its reserved concurrency, or the
 * sandbox's default). Warm environments are reused, as Lambda reuses them; an invocation beyond
 * the limit waits in line instead of being throttled, because the sandbox's callers (S3 events,
 * a page's requests) would otherwise need retry logic that Lambda's own queue gives them.
 */
import type { FunctionWorker } from './worker';

export class EnvironmentPool {
  private readonly idle: FunctionWorker[] = [];
  /** Every environment started and not yet stopped, busy or idle. */
  private readonly all = new Set<FunctionWorker>();
  private size = 0;
  private readonly waiting: Array<{
    resolve: (worker: FunctionWorker) => void;
    reject: (err: unknown) => void;
  }> = [];
  private closed = false;

  constructor(
    readonly limit: number,
    private readonly start: () => Promise<FunctionWorker>,
    /** Whether an idle environment may still take an invocation (alive, credentials not about to expire). */
    private readonly usable: (worker: FunctionWorker) => boolean,
  ) {}

  /** Runs `task` in an environment of its own, waiting for one when `limit` are busy. */
  async run<T>(task: (worker: FunctionWorker) => Promise<T>): Promise<T> {
    const worker = await this.acquire();
    try {
      return await task(worker);
    } finally {
      this.release(worker);
    }
  }

  /** How many invocations are waiting for an environment. */
  get queued(): number {
    return this.waiting.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('The sandbox is shutting down'));
    this.idle.splice(0);
    // Busy ones too: their invocations end with Runtime.ExitError.
    await Promise.all([...this.all].map((w) => this.stop(w)));
  }

  private async acquire(): Promise<FunctionWorker> {
    if (this.closed) throw new Error('The sandbox is shutting down');
    while (this.idle.length > 0) {
      const worker = this.idle.pop()!;
      if (this.usable(worker)) return worker;
      this.size--;
      void this.stop(worker);
    }
    if (this.size < this.limit) {
      this.size++;
      try {
        return this.track(await this.start());
      } catch (err) {
        this.size--;
        throw err;
      }
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private track(worker: FunctionWorker): FunctionWorker {
    this.all.add(worker);
    return worker;
  }

  private stop(worker: FunctionWorker): Promise<void> {
    this.all.delete(worker);
    return worker.stop();
  }

  private release(worker: FunctionWorker): void {
    if (this.closed || !this.usable(worker)) {
      this.size--;
      void this.stop(worker);
      const next = this.waiting.shift();
      // The freed slot goes to the next in line, in a fresh environment.
      if (next) {
        this.size++;
        this.start().then(
          (started) => next.resolve(this.track(started)),
          (err: unknown) => {
            this.size--;
            next.reject(err);
          },
        );
      }
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(worker);
    else this.idle.push(worker);
  }
}
