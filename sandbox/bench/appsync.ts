/**
 * The data API through the sandbox against the same api function's handler called directly.
 *
 *   pnpm --filter sandbox bench:appsync
 *
 * 1. The real templates are deployed in process on a fresh state folder, 24 READY public records
 *    are written with the pipeline's role, and credentials for the api function's role are
 *    issued; the sandbox then closes (the records and credentials stay in the state folder).
 * 2. The sandbox starts again in a child process, as `pnpm sandbox` runs it.
 * 3. Two series alternate in 2 s slices (ABBA, after a warm-up), 4 workers each (the function's
 *    default concurrency): the public feed query as a guest, SigV4-signed, through the sandbox
 *    (signature, IAM per field, graphql-js, a Lambda worker running the api asset); and the api
 *    asset's handler loaded into this process, called with the event AppSync would send, reading
 *    the same table in the sandbox's DynamoDB with the api role's credentials.
 *
 * The overhead is direct requests/s divided by sandbox requests/s (target <= 2x).
 */
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOutputs } from '@image-share/contracts/outputs';
import { readCdkOutputs } from '@image-share/contracts/outputs-file';
import { indexKeys, type ImageRecord } from '../../backend/functions/shared/records';
import { IMAGE_SK, imagePk } from '../../backend/lib/records/table-schema';
import { startSandbox } from '../src/app';
import { silentLogger } from '../src/core/logger';
import type { SessionCredentials } from '../src/core/credentials';
import { issueFunctionCredentials } from '../src/services/lambda/credentials';
import { graphql } from '../test/appsync/helpers';
import { synthesizeRealApp } from '../test/deploy/real-app';
import { cliNodeFlags, killAllChildrenNow, startServerProcess } from './children';
import { LoadSeries, type LoadResult } from './load';

const RECORDS = 24;
const CONCURRENCY = 4;
const WARMUP_MS = 3_000;
const ROUNDS = 4;
const SLICE_MS = 2_000;
const TARGET_OVERHEAD = 2;
const FEED =
  '{ publicImages(limit: 24) { items { imageId title width height renditions { size key } } nextToken } }';

async function main(): Promise<void> {
  const cdkOutDir = await synthesizeRealApp();
  const root = await mkdtemp(join(tmpdir(), 'sandbox-bench-appsync-'));
  const stateDir = join(root, 'state');
  try {
    const { api, env, assetPath } = await seed(cdkOutDir, stateDir);
    const sandbox = await startServerProcess(
      'sandbox',
      'sandbox-process.ts',
      [stateDir, cdkOutDir, join(root, 'outputs.sandbox.json')],
      cliNodeFlags(),
    );
    try {
      const outputs = readCdkOutputs(join(root, 'outputs.sandbox.json'));
      const url = Object.values(outputs).find((o) => o.GraphQlUrl !== undefined)!.GraphQlUrl!;
      const region = findOutputs(outputs).region;
      const guest = await guestCredentials(sandbox.endpoint, region, findOutputs(outputs).identityPoolId);
      const handler = loadHandler(
        assetPath,
        { ...env, AWS_REGION: region, AWS_ENDPOINT_URL: sandbox.endpoint },
        api,
      );
      const event = feedEvent(guest, region);

      const throughSandbox = async () => {
        const answer = await graphql(url, guest.credentials, { query: FEED }, region);
        const items = (answer.body.data?.publicImages as { items?: unknown[] } | undefined)?.items;
        if (answer.status !== 200 || items?.length !== RECORDS)
          throw new Error(
            `the sandbox answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`,
          );
      };
      const direct = async () => {
        const result = (await handler(event)) as { items?: unknown[] };
        if (result.items?.length !== RECORDS)
          throw new Error(`the handler returned ${JSON.stringify(result).slice(0, 300)}`);
      };

      console.log(
        `public feed (${RECORDS} items), ${CONCURRENCY} workers, ${ROUNDS} rounds of ${SLICE_MS / 1000} s each, ABBA`,
      );
      const series = { sandbox: new LoadSeries(), direct: new LoadSeries() };
      await new LoadSeries().slice(CONCURRENCY, WARMUP_MS, throughSandbox);
      await new LoadSeries().slice(CONCURRENCY, WARMUP_MS, direct);
      const ratios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (['sandbox', 'direct'] as const) : (['direct', 'sandbox'] as const);
        const perSecond: Record<string, number> = {};
        for (const name of order) {
          perSecond[name] = await series[name].slice(
            CONCURRENCY,
            SLICE_MS,
            name === 'sandbox' ? throughSandbox : direct,
          );
        }
        ratios.push(perSecond.direct! / perSecond.sandbox!);
      }
      const s = series.sandbox.result();
      const d = series.direct.result();
      const overhead = median(ratios);
      console.log(`  through the sandbox: ${describe(s)}`);
      console.log(`  handler in process:  ${describe(d)}`);
      console.log(
        `  overhead (direct req/s / sandbox req/s, median of rounds): ${overhead.toFixed(2)}x  [${ratios.map((r) => r.toFixed(2)).join(', ')}]  target <= ${TARGET_OVERHEAD}x: ${overhead <= TARGET_OVERHEAD ? 'PASS' : 'FAIL'}`,
      );
      console.log(
        `  p50 ratio: ${(s.p50Ms / d.p50Ms).toFixed(2)}x, p99 ratio: ${(s.p99Ms / d.p99Ms).toFixed(2)}x`,
      );
    } finally {
      await sandbox.stop();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Deploys in process once: the feed's records, written by the pipeline's role; the api role's credentials. */
async function seed(cdkOutDir: string, stateDir: string) {
  const sandbox = await startSandbox({ port: 0, stateDir, cdkOutDir, synth: false, logger: silentLogger });
  try {
    const { model } = sandbox;
    const functions = [...model.functions.values()];
    const apiFn = functions.find((f) => f.environment.CURSOR_KEY_SECRET_ARN !== undefined)!;
    const pipelineFn = functions.find((f) => f.environment.TABLE_NAME !== undefined && f !== apiFn)!;
    if (apiFn.code.kind !== 'asset') throw new Error('the api function has no asset to load');
    const clock = { now: () => new Date() };
    const pipeline = issueFunctionCredentials(model, pipelineFn, clock);
    const api = issueFunctionCredentials(model, apiFn, clock);
    await sandbox.credentials.put(pipeline);
    await sandbox.credentials.put(api);
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: model.region,
        endpoint: sandbox.endpoint,
        credentials: pipeline,
        maxAttempts: 1,
      }),
    );
    const tableName = apiFn.environment.TABLE_NAME!;
    for (let i = 0; i < RECORDS; i++) {
      const time = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
      const imageId = `benchImage${String(i).padStart(12, '0')}`;
      const record: ImageRecord = {
        imageId,
        ownerId: 'us-east-1:00000000-0000-4000-8000-000000000000',
        folder: 'protected',
        originalKey: `protected/us-east-1:00000000-0000-4000-8000-000000000000/${imageId}.jpg`,
        originalBytes: 4_000_000,
        sequencer: String(i + 1).padStart(22, '0'),
        status: 'READY',
        visibility: 'public',
        title: `Photo ${i}`,
        width: 4000,
        height: 3000,
        renditions: [320, 640, 1280].map((size) => ({
          size,
          width: size,
          height: (size * 3) / 4,
          bytes: size * 40,
        })),
        createdAt: time,
        updatedAt: time,
        publishedAt: time,
      };
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: imagePk(imageId), sk: IMAGE_SK, ...record, ...indexKeys(record) },
        }),
      );
    }
    db.destroy();
    return { api, env: apiFn.environment, assetPath: apiFn.code.path };
  } finally {
    await sandbox.close();
  }
}

/**
 * The api asset's handler in this process. Lambda's runtime provides the AWS SDK, which the asset
 * leaves out; this process offers the sandbox's own through NODE_PATH, as the sandbox does for its
 * functions. The environment is set before loading: the handler reads it (and its secret) at load.
 */
function loadHandler(
  assetPath: string,
  env: Readonly<Record<string, string>>,
  credentials: SessionCredentials,
): (event: unknown) => Promise<unknown> {
  Object.assign(process.env, env, {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    POWERTOOLS_LOG_LEVEL: 'WARN',
    NODE_PATH: join(__dirname, '..', 'node_modules'),
  });
  (Module as unknown as { _initPaths(): void })._initPaths();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(assetPath, 'index.js')) as { handler: (event: unknown) => Promise<unknown> }).handler;
}

async function guestCredentials(endpoint: string, region: string, identityPoolId: string) {
  const client = new CognitoIdentityClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'AKIDUNUSEDUNUSED0000', secretAccessKey: 'unused' },
  });
  try {
    const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: identityPoolId }));
    const { Credentials: c } = await client.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    return {
      identityId: IdentityId!,
      identityPoolId,
      credentials: {
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretKey!,
        sessionToken: c!.SessionToken!,
      },
    };
  } finally {
    client.destroy();
  }
}

/** The event the sandbox builds for this query (test/appsync pins its shape). */
function feedEvent(guest: Awaited<ReturnType<typeof guestCredentials>>, region: string) {
  return {
    arguments: { limit: 24 },
    identity: {
      accountId: '000000000000',
      cognitoIdentityPoolId: guest.identityPoolId,
      cognitoIdentityId: guest.identityId,
      cognitoIdentityAuthType: 'unauthenticated',
      cognitoIdentityAuthProvider: null,
      sourceIp: ['127.0.0.1'],
      userArn: `arn:aws:sts::000000000000:assumed-role/guest/CognitoIdentityCredentials`,
      username: 'AROAGUEST:CognitoIdentityCredentials',
    },
    source: null,
    request: { headers: { host: `appsync.${region}` }, domainName: null },
    prev: null,
    info: {
      fieldName: 'publicImages',
      parentTypeName: 'Query',
      variables: {},
      selectionSetList: ['items', 'items/imageId', 'items/title', 'nextToken'],
      selectionSetGraphQL: '',
    },
    stash: {},
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function describe(r: LoadResult): string {
  return `${r.perSecond.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms (${r.requests} requests)`;
}

main().catch((err: unknown) => {
  killAllChildrenNow();
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
