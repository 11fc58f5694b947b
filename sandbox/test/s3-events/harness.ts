/**
 * The whole sandbox on the S3 events fixture assembly (test/fixtures/s3-events-cdk-out): two
 * buckets whose events go to a function that prints each event it receives, one configured by the
 * bucket property and one by CDK's Custom::S3BucketNotifications, and a guest S3 client.
 */
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../src/app';
import { MemoryLogger } from '../../src/core/logger';
import type { S3EventRecord } from '../../src/services/s3';

export const FIXTURE = join(__dirname, '..', 'fixtures', 's3-events-cdk-out');
export const PLAIN = 'events-fixture-plain';
export const VERSIONED = 'events-fixture-versioned';

export interface EventsSandbox {
  readonly sandbox: RunningSandbox;
  readonly logger: MemoryLogger;
  readonly s3: S3Client;
  close(): Promise<void>;
}

export async function startEventsSandbox(
  stateDir: string,
  logger = new MemoryLogger(),
): Promise<EventsSandbox> {
  const sandbox = await startSandbox({
    port: 0,
    stateDir,
    cdkOutDir: FIXTURE,
    logger,
    lambdaRetryDelaysMs: [20, 40],
  });
  const identity = new CognitoIdentityClient({ region: 'us-east-1', endpoint: sandbox.endpoint });
  const { IdentityId } = await identity.send(
    new GetIdCommand({ IdentityPoolId: sandbox.outputs.Events!.IdentityPoolId! }),
  );
  const { Credentials: c } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId }));
  identity.destroy();
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: sandbox.endpoint,
    forcePathStyle: true,
    credentials: {
      accessKeyId: c!.AccessKeyId!,
      secretAccessKey: c!.SecretKey!,
      sessionToken: c!.SessionToken!,
    },
  });
  return {
    sandbox,
    logger,
    s3,
    close: async () => {
      s3.destroy();
      await sandbox.close();
    },
  };
}

/** The event records a function printed (`EVENT <json>` lines, see the fixture's asset), in order. */
export function receivedEvents(logger: MemoryLogger, functionName: string): S3EventRecord[] {
  const prefix = `[${functionName}] `;
  return logger.lines
    .map((l) => l.message)
    .filter((m) => m.startsWith(prefix) && m.includes('EVENT {'))
    .flatMap(
      (m) =>
        (JSON.parse(m.slice(m.indexOf('EVENT {') + 'EVENT '.length)) as { Records: S3EventRecord[] }).Records,
    );
}
