/**
 * pnpm bench:ready — upload to READY through the whole sandbox: a signed-in user uploads 12-MP
 * JPEG photos with Amplify storage (`uploadData` into `protected/<identityId>/`, as the web app
 * does), the bucket's event invokes the pipeline function's own asset in the Lambda service, and
 * the clock stops when the image's record (read as the pipeline's role, with lib-dynamodb) is
 * READY. The sandbox runs in its own process, as `pnpm sandbox` runs it.
 *
 *   pnpm --filter sandbox bench:ready [-- --images 20]
 */
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signUp } from 'aws-amplify/auth';
import { uploadData } from 'aws-amplify/storage';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { findOutputs, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { readCdkOutputs } from '@image-share/contracts/outputs-file';
import { photo } from '../../backend/test/support/images';
import { toResourcesConfig } from '../../frontend/lib/amplify-config';
import { ADMIN_TOKEN_HEADER, adminTokenFromOutputs } from '../src/core/admin-token';
import { installSandboxFetch } from '../src/routing/fetch-dispatcher';
import { synthesizeRealApp } from '../test/deploy/real-app';
import { PipelineReader, preparePipelineRole } from '../test/live/pipeline-harness';
import { cliNodeFlags, killAllChildrenNow, startServerProcess, type ServerProcess } from './children';

const PASSWORD = 'Bench-Mark-42-horse-battery';
const TARGET_P50_MS = 3000;
const POLL_MS = 10;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { images: { type: 'string', default: '20' } } });
  const images = Number(values.images);
  if (!Number.isInteger(images) || images < 1) throw new Error('--images takes a positive integer');

  const cdkOutDir = await synthesizeRealApp();
  const root = await mkdtemp(join(tmpdir(), 'sandbox-bench-ready-'));
  let sandbox: ServerProcess | undefined;
  let reader: PipelineReader | undefined;
  try {
    const stateDir = join(root, 'state');
    const outputsFile = join(root, 'outputs.sandbox.json');
    const role = await preparePipelineRole(stateDir);
    sandbox = await startServerProcess(
      'sandbox',
      'sandbox-process.ts',
      [stateDir, cdkOutDir, outputsFile],
      cliNodeFlags(),
    );
    const endpoint = sandbox.endpoint;
    const cdkOutputs = readCdkOutputs(outputsFile);
    Amplify.configure(
      toResourcesConfig({
        outputs: { ...toAmplifyOutputs(findOutputs(cdkOutputs)) },
        sandboxEndpoint: endpoint,
      }),
    );
    installSandboxFetch(endpoint);
    reader = new PipelineReader(role, endpoint);

    const email = 'bench-ready@example.com';
    await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
    const mailbox = await fetch(`${endpoint}/_sandbox/mailbox?to=${encodeURIComponent(email)}`, {
      headers: { [ADMIN_TOKEN_HEADER]: adminTokenFromOutputs(cdkOutputs) },
    });
    const { messages } = (await mailbox.json()) as { messages: Array<{ code?: string }> };
    await confirmSignUp({ username: email, confirmationCode: messages.at(-1)!.code! });
    await signIn({ username: email, password: PASSWORD });
    const identityId = (await fetchAuthSession()).identityId!;

    console.log(`generating ${images + 1} photos of 4000 x 3000 (12 MP)...`);
    const photos: Buffer[] = [];
    for (let i = 0; i <= images; i++) photos.push(await photo(4000, 3000, i + 1));
    const mb = photos.reduce((sum, p) => sum + p.length, 0) / photos.length / 1e6;
    console.log(`  ${mb.toFixed(1)} MB each on average`);

    const upload: number[] = [];
    const total: number[] = [];
    // The first image starts the function's environment (a cold start); it is shown, not counted.
    for (let i = 0; i <= images; i++) {
      const path = `protected/${identityId}/bench-${i}.jpg`;
      const started = performance.now();
      await uploadData({ path, data: photos[i]!, options: { contentType: 'image/jpeg' } }).result;
      const uploaded = performance.now();
      for (;;) {
        const record = await reader.record(path);
        if (record && record.status !== 'PROCESSING') {
          if (record.status !== 'READY') throw new Error(`${path} ended ${JSON.stringify(record)}`);
          break;
        }
        await sleep(POLL_MS);
      }
      const ready = performance.now();
      if (i === 0) {
        console.log(`  cold start: ${ms(ready - started)} (upload ${ms(uploaded - started)})`);
        continue;
      }
      upload.push(uploaded - started);
      total.push(ready - started);
      process.stdout.write('.');
    }
    const p50 = percentile(total, 50);
    console.log(
      `\n\nupload to READY over ${images} photos (warm; 12 MP JPEG, Amplify uploadData -> S3 event -> pipeline -> record):`,
    );
    console.log(
      `  total       p50 ${ms(p50)}   p95 ${ms(percentile(total, 95))}   max ${ms(Math.max(...total))}`,
    );
    console.log(`  upload part p50 ${ms(percentile(upload, 50))}   p95 ${ms(percentile(upload, 95))}`);
    console.log(
      `  sandbox peak RSS ${Math.round((sandbox.memory()?.peak ?? NaN) / 1e6)} MB (its functions run in their own processes)`,
    );
    console.log(`  target p50 <= ${ms(TARGET_P50_MS)}: ${p50 <= TARGET_P50_MS ? 'PASS' : 'FAIL'}`);
  } finally {
    reader?.close();
    await sandbox?.stop();
    await rm(root, { recursive: true, force: true });
  }
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    killAllChildrenNow();
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
