/**
 * Child process for fault.test.ts: the whole sandbox on a state folder, writing items one after
 * another through the SDK and printing `DONE <id>` once each is acknowledged, until it is killed.
 */
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startSandbox } from '../../src/app';
import { silentLogger } from '../../src/core/logger';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { FIXTURE, REGION, session } from './harness';

async function main(): Promise<void> {
  const stateDir = process.argv[2]!;
  const credentials = session('RecordsAppRole');
  await (await FileCredentialStore.open(join(stateDir, 'credentials'))).put(credentials);
  const sandbox = await startSandbox({
    port: 0,
    stateDir,
    cdkOutDir: FIXTURE,
    region: REGION,
    logger: silentLogger,
  });
  const db = new DynamoDBClient({ region: REGION, endpoint: sandbox.endpoint, credentials, maxAttempts: 1 });
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
