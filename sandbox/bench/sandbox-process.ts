/**
 * The sandbox as `pnpm sandbox --no-synth` runs it, in its own process so that the benchmark can
 * read its memory and CPU time from /proc. It differs from src/cli.ts in one way only: it writes its
 * outputs file (with the admin token the benchmark needs) to the path it is given, never to the
 * repository's outputs.sandbox.json, which would clobber the file of a sandbox the developer has running.
 *
 *   node --require tsx/cjs bench/sandbox-process.ts <stateDir> <cdkOutDir> <outputsFile>    (spawned by bench/run.ts)
 */
import { startSandbox } from '../src/app';
import { serveParent } from './child-ipc';

async function main(): Promise<void> {
  const [stateDir, cdkOutDir, outputsFile] = process.argv.slice(2);
  if (!stateDir || !cdkOutDir || !outputsFile)
    throw new Error(
      'usage: node --require tsx/cjs bench/sandbox-process.ts <stateDir> <cdkOutDir> <outputsFile>',
    );
  const sandbox = await startSandbox({ port: 0, stateDir, cdkOutDir, synth: false, outputsFile });
  serveParent(sandbox.endpoint, () => sandbox.close());
}

main().catch((err: unknown) => {
  console.error(`[bench sandbox] failed to start: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
