/**
 * Child process for fault.test.ts: the sandbox on the S3 events fixture, printing its log on stdout,
 * uploads one object whose event goes to a function that takes seconds, and then waits to be killed.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { MemoryLogger } from '../../src/core/logger';
import { PLAIN, startEventsSandbox } from './harness';

/** Every log line also on stdout, where the test watches for the moment to kill. */
class PrintingLogger extends MemoryLogger {
  override info(message: string): void {
    process.stdout.write(`${message}\n`);
  }
  override warn(message: string): void {
    process.stdout.write(`${message}\n`);
  }
  override error(message: string): void {
    process.stdout.write(`${message}\n`);
  }
}

async function main(): Promise<void> {
  const env = await startEventsSandbox(process.argv[2]!, new PrintingLogger());
  const put = await env.s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: process.argv[3]!, Body: 'slow' }));
  process.stdout.write(`PUT ${put.ETag}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
