/**
 * kill -9 of the sandbox while the upload pipeline runs on an image: after a restart on the same
 * state folder the S3 event is delivered again, and the image ends READY or REJECTED, never stuck
 * in PROCESSING, with exactly the renditions its record lists (nothing half-published).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChildUntil } from '../helpers/kill-child';
import { startLiveSandbox } from './harness';
import { PipelineReader, preparePipelineRole } from './pipeline-harness';

test('killed while the pipeline runs: after the restart the image ends READY, not stuck or half-published', async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-pipeline-fault-'));
  try {
    const role = await preparePipelineRole(stateDir);
    let key: string | undefined;
    await runChildUntil(join(__dirname, 'pipeline-fault-child.ts'), [stateDir], (line) => {
      key ??= /^KEY (.+)$/.exec(line)?.[1];
      return line === 'RUNNING';
    });
    expect(await readdir(join(stateDir, 's3-events', 'outbox'))).toHaveLength(1);

    const live = await startLiveSandbox({ stateDir });
    const pipeline = new PipelineReader(role, live.sandbox.endpoint, () =>
      live.logger.lines.filter((l) => l.level !== 'info').map((l) => l.message),
    );
    try {
      const record = await pipeline.settled(key!, (r) => r.status !== 'PROCESSING', 60_000);
      expect(record.status).toBe('READY');
      await live.sandbox.functions.drain();
      const listed = 'renditions' in record ? (record.renditions ?? []).map((r) => `${r.size}.webp`) : [];
      const stored = (await pipeline.renditionKeys(record.imageId)).map((k) => k.split('/'));
      // Every stored rendition is of the record's version, and each one the record lists is there.
      expect(new Set(stored.map((parts) => parts.at(-2))).size).toBe(1);
      expect(stored.map((parts) => parts.at(-1)).sort()).toEqual([...listed].sort());
      expect(await readdir(join(stateDir, 's3-events', 'outbox'))).toEqual([]);
    } finally {
      pipeline.close();
      await live.close();
    }
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}, 300_000);
