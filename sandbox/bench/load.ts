/**
 * A closed-loop load generator: `concurrency` workers each issue one request at a time, back to
 * back, until the time slice is up. Every completed request's latency is kept, so percentiles are
 * exact, and slices of the same series (interleaved with another server's) add up into one result.
 */
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export class LoadSeries {
  private readonly latencies: number[] = [];
  private seconds = 0;
  /** Sequence numbers continue across slices, so that each request can address its own key. */
  private next = 0;

  get requests(): number {
    return this.latencies.length;
  }

  /**
   * Runs `operation(sequence)` for `durationMs` with `concurrency` workers and returns this slice's
   * requests per second. Any failed request fails the whole run: a benchmark that counts errors as
   * throughput lies.
   */
  async slice(
    concurrency: number,
    durationMs: number,
    operation: (sequence: number) => Promise<void>,
  ): Promise<number> {
    const requestsBefore = this.latencies.length;
    const start = performance.now();
    const deadline = start + durationMs;
    const worker = async () => {
      while (performance.now() < deadline) {
        const sequence = this.next++;
        const t0 = performance.now();
        await operation(sequence);
        this.latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - start) / 1000;
    this.seconds += seconds;
    return (this.latencies.length - requestsBefore) / seconds;
  }

  result(): LoadResult {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      requests: sorted.length,
      seconds: this.seconds,
      perSecond: sorted.length / this.seconds,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
    };
  }
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}
