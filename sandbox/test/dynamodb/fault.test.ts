import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { runChildUntil } from '../helpers/kill-child';
import { startFixtureSandboxAsApp } from './harness';

/** Runs fault-child.ts until it has acknowledged `count` writes (and is writing more), then SIGKILLs it. */
async function runChildAndKill(stateDir: string, count: number): Promise<string[]> {
  const acknowledged: string[] = [];
  await runChildUntil(join(__dirname, 'fault-child.ts'), [stateDir], (line) => {
    const done = /^DONE (\S+)$/.exec(line);
    if (done) acknowledged.push(done[1]!);
    return acknowledged.length === count;
  });
  return acknowledged;
}

test('SIGKILL while items are being written: after a restart every acknowledged item is there', async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-ddb-fault-'));
  try {
    const acknowledged = await runChildAndKill(stateDir, 100);
    const { sandbox, db } = await startFixtureSandboxAsApp(stateDir);
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
