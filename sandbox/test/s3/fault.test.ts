import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
} from '@aws-sdk/client-s3';
import { runChildUntil } from '../helpers/kill-child';
import { BUCKET, s3ErrorOf, startS3TestServer } from '../helpers/s3-test-server';

/** Runs fault-child.ts until it is mid-upload, then SIGKILLs it; returns the completed objects' hashes. */
async function runChildAndKill(stateDir: string): Promise<Map<string, string>> {
  const completed = new Map<string, string>();
  await runChildUntil(join(__dirname, 'fault-child.ts'), [stateDir], (line) => {
    const done = /^DONE (\S+) ([0-9a-f]{64})$/.exec(line);
    if (done) completed.set(done[1]!, done[2]!);
    return line === 'MIDWAY';
  });
  return completed;
}

test('SIGKILL during a multipart upload leaves no partial object, and every completed object intact', async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-fault-'));
  try {
    const completed = await runChildAndKill(stateDir);
    expect([...completed.keys()].sort()).toEqual([
      'fault/a.txt',
      'fault/b.bin',
      'fault/complete-multipart.bin',
    ]);

    const uploads = join(stateDir, 's3', BUCKET, 'uploads');
    const [uploadId] = await readdir(uploads);
    // The kill really landed mid-part: a temp file was streaming inside the upload's folder.
    expect((await readdir(join(uploads, uploadId!))).some((f) => f.startsWith('.tmp-'))).toBe(true);

    const server = await startS3TestServer({ stateDir });
    try {
      const s3 = server.client();
      for (const [key, sha256] of completed) {
        const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        expect(
          createHash('sha256')
            .update(await got.Body!.transformToByteArray())
            .digest('hex'),
        ).toBe(sha256);
      }
      const head = await s3ErrorOf(
        s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'fault/killed-multipart.bin' })),
      );
      expect(head.$metadata.httpStatusCode).toBe(404);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'fault/' }));
      expect(listed.Contents?.map((c) => c.Key).sort()).toEqual([...completed.keys()].sort());
      // The interrupted upload is still there to resume or abort, with only its whole part.
      const pending = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
      expect(pending.Uploads?.map((u) => u.Key)).toEqual(['fault/killed-multipart.bin']);
      const parts = await s3.send(
        new ListPartsCommand({
          Bucket: BUCKET,
          Key: 'fault/killed-multipart.bin',
          UploadId: pending.Uploads![0]!.UploadId,
        }),
      );
      expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[1, 5 * 1024 * 1024]]);
      expect((await readdir(join(uploads, uploadId!))).some((f) => f.startsWith('.tmp-'))).toBe(false);
      expect(
        (await readdir(join(stateDir, 's3', BUCKET, 'objects'))).some((f) => f.startsWith('.tmp-')),
      ).toBe(false);
    } finally {
      await server.close();
    }
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}, 90_000);
