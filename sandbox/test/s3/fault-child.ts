/**
 * Child process for fault.test.ts: serves S3 on a state folder, completes some uploads, then starts
 * a multipart upload whose second part never finishes, and tells the parent (which then SIGKILLs
 * it) once that part is mid-write. Prints `DONE <key> <sha256>` per completed object.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BUCKET, startS3TestServer } from '../helpers/s3-test-server';

const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const stateDir = process.argv[2]!;
  const server = await startS3TestServer({ stateDir });
  const s3 = server.client();
  const done = (key: string, data: Buffer) =>
    process.stdout.write(`DONE ${key} ${createHash('sha256').update(data).digest('hex')}\n`);

  for (const key of ['fault/a.txt', 'fault/b.bin']) {
    const data = randomBytes(key.endsWith('.bin') ? 300_000 : 1000);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: data }));
    done(key, data);
  }
  const big = randomBytes(12 * MiB);
  await new Upload({
    client: s3,
    params: { Bucket: BUCKET, Key: 'fault/complete-multipart.bin', Body: big },
    partSize: 5 * MiB,
  }).done();
  done('fault/complete-multipart.bin', big);

  // An upload whose second part stalls mid-body, so the kill lands while that part streams to disk.
  const key = 'fault/killed-multipart.bin';
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  await s3.send(
    new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: randomBytes(5 * MiB) }),
  );
  let sent = 0;
  const stalled = new Readable({
    read() {
      if (sent >= 3 * MiB) return; // never push null: the body never ends
      sent += MiB;
      this.push(randomBytes(MiB));
      if (sent >= 3 * MiB) setTimeout(() => process.stdout.write('MIDWAY\n'), 500);
    },
  });
  void s3
    .send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId,
        PartNumber: 2,
        Body: stalled,
        ContentLength: 5 * MiB,
      }),
    )
    .catch(() => undefined);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
