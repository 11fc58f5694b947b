/**
 * The comparison peer: s3rver on loopback, in its own process like the sandbox, so that neither
 * server shares an event loop with the load generator.
 *
 *   node --require tsx/cjs bench/s3rver-process.ts <directory> <bucket>    (spawned by bench/run.ts)
 */
import { serveParent } from './child-ipc';

// s3rver ships no type declarations; this is the part of its API the benchmark uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: Array<{ name: string }>;
}) => { run(): Promise<{ port: number }>; close(): Promise<void> };

async function main(): Promise<void> {
  const [directory, bucket] = process.argv.slice(2);
  if (!directory || !bucket)
    throw new Error('usage: node --require tsx/cjs bench/s3rver-process.ts <directory> <bucket>');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  serveParent(`http://127.0.0.1:${port}`, () => server.close());
}

main().catch((err: unknown) => {
  console.error(`[bench s3rver] failed to start: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
