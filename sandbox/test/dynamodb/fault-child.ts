/**
 * Child process for fault.test.ts: the whole sandbox on a state folder, writing items one after
 * another through the SDK and printing `DONE <id>` once each is acknowledged, until it is killed.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startFixtureSandboxAsApp } from './harness';

async function main(): Promise<void> {
  const stateDir = process.argv[2]!;
  const { sandbox, db } = await startFixtureSandboxAsApp(stateDir);
  const table = sandbox.outputs.Records!.EventsTableName!;
  for (let i = 0; ; i++) {
    await db.send(
      new PutItemCommand({
        TableName: table,
        Item: { id: { S: `event-${i}` }, body: { S: 'x'.repeat(2000) } },
      }),
    );
    process.stdout.write(`DONE event-${i}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
