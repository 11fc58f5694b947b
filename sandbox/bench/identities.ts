/**
 * What one guest GetId costs as identities pile up: every guest's first call makes an identity and
 * saves it durably, so the cost must not grow with their number.
 *
 *   pnpm --filter sandbox bench:identities [-- --at 100,1500 --calls 200]
 *
 * The identity service runs in this process on a temporary state folder (the real file store, with
 * its fsync), is filled with guest identities up to each level, and then times `--calls` more guest
 * GetId calls there. It prints the mean and median per call at each level.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/core/clock';
import { MemoryLogger } from '../src/core/logger';
import { createCognitoIdentityService } from '../src/services/cognito-identity';
import { FileCredentialStore } from '../src/services/cognito-identity/credential-store';
import { createCognitoIdpService } from '../src/services/cognito-idp';
import { Mailbox } from '../src/services/mailbox';
import { cognitoModel, IDENTITY_POOL_ID } from '../test/helpers/cognito-model';

const META = { sourceIp: '127.0.0.1', requestId: 'bench' };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { at: { type: 'string', default: '100,1500' }, calls: { type: 'string', default: '200' } },
  });
  const levels = values.at.split(',').map(Number);
  const calls = Number(values.calls);
  if (levels.some((n) => !Number.isInteger(n) || n < 0) || !Number.isInteger(calls) || calls < 1)
    throw new Error('--at takes identity counts (e.g. 100,1500), --calls a positive count');

  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-bench-identities-'));
  try {
    const model = cognitoModel();
    const logger = new MemoryLogger();
    const idp = createCognitoIdpService({ model, clock: systemClock, logger, mailbox: new Mailbox() });
    const identity = createCognitoIdentityService({
      model,
      stateDir,
      clock: systemClock,
      logger,
      idp,
      credentials: FileCredentialStore.inMemory(systemClock),
    });
    const getId = () => identity.call('GetId', { IdentityPoolId: IDENTITY_POOL_ID, Logins: {} }, META);

    let count = 0;
    console.log(`guest GetId, ${calls} calls timed at each level (state in ${stateDir})`);
    for (const level of [...levels].sort((a, b) => a - b)) {
      while (count < level) {
        await getId();
        count += 1;
      }
      const times: number[] = [];
      for (let i = 0; i < calls; i += 1) {
        const started = performance.now();
        await getId();
        times.push(performance.now() - started);
      }
      count += calls;
      times.sort((a, b) => a - b);
      const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
      const median = times[Math.floor(times.length / 2)]!;
      console.log(
        `  at ${String(level).padStart(6)} identities: ${mean.toFixed(2)} ms mean, ${median.toFixed(2)} ms median per call`,
      );
    }
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
