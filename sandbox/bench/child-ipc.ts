/**
 * The IPC protocol between the benchmark and its server processes: the child reports its endpoint
 * once it listens, answers memory questions (V8's own split of its resident set), and stops on
 * SIGTERM or when the parent goes away.
 */
export interface ReadyMessage {
  readonly endpoint: string;
}

export interface MemoryMessage {
  readonly memoryUsage: NodeJS.MemoryUsage;
}

export function serveParent(endpoint: string, close: () => Promise<void>): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('This script reports to its parent over IPC; start it from bench/run.ts.');
  const stop = () => {
    void close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.on('message', (message: { memoryUsage?: unknown }) => {
    if (message.memoryUsage === true) send({ memoryUsage: process.memoryUsage() } satisfies MemoryMessage);
  });
  send({ endpoint } satisfies ReadyMessage);
}
