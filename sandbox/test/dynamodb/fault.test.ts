import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startSandbox } from '../../src/app';
import { silentLogger } from '../../src/core/logger';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { FIXTURE, REGION, session } from './harness';

/** Runs fault-child.ts until it has acknowledged `count` writes (and is writing more), then SIGKILLs it. */
async function runChildAndKill(stateDir: string, count: number): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', join(__dirname, 'fault-child.ts'), stateDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const acknowledged: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        const done = /^DONE (\S+)$/.exec(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (done) acknowledged.push(done[1]!);
        if (acknowledged.length === count) resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
  });
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return acknowledged;
}

test('SIGKILL while items are being written: after a restart every acknowledged item is there', async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-ddb-fault-'));
  try {
    const acknowledged = await runChildAndKill(stateDir, 100);
    const credentials = session('RecordsAppRole');
    await (await FileCredentialStore.open(join(stateDir, 'credentials'))).put(credentials);
    const sandbox = await startSandbox({
      port: 0,
      stateDir,
      cdkOutDir: FIXTURE,
      region: REGION,
      logger: silentLogger,
    });
    const db = new DynamoDBClient({
      region: REGION,
      endpoint: sandbox.endpoint,
      credentials,
      maxAttempts: 1,
    });
    try {
      const table = sandbox.outputs.Records!.EventsTableName!;
      const found: string[] = [];
      for (let i = 0; i < acknowledged.length; i += 100) {
        const keys = acknowledged.slice(i, i + 100).map((id) => ({ id: { S: id } }));
        const { Responses, UnprocessedKeys } = await db.send(
          new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ProjectionExpression: 'id' } } }),
        );
        expect(UnprocessedKeys ?? {}).toEqual({});
        found.push(...(Responses?.[table] ?? []).map((item) => item.id!.S!));
      }
      expect(found.sort()).toEqual([...acknowledged].sort());
    } finally {
      db.destroy();
      await sandbox.close();
    }
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}, 120_000);
