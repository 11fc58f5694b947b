/**
 * Child process for pipeline-fault.test.ts: the sandbox from the real templates on a given state
 * folder; a user uploads a 12-MP photo into protected/; `RUNNING` is printed as soon as the pipeline
 * function has started on it, and the test kills the process there.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { startLiveSandbox } from './harness';

async function main(): Promise<void> {
  const live = await startLiveSandbox({ stateDir: process.argv[2]! });
  const user = await live.user('kim');
  const photo = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#58c' } })
    .jpeg()
    .toBuffer();
  const key = `protected/${user.identityId}/killed mid-run.jpg`;
  const seen = live.logger.lines.length;
  await user.s3.send(new PutObjectCommand({ Bucket: live.bucket, Key: key, Body: photo }));
  process.stdout.write(`KEY ${key}\n`);
  for (;;) {
    if (live.logger.lines.slice(seen).some((l) => / START RequestId: /.test(l.message))) {
      process.stdout.write('RUNNING\n');
      return;
    }
    await sleep(2);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
