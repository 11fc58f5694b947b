/**
 * `pnpm --filter sandbox bench`: the sandbox's performance figures, in one run (issue 3).
 *
 *  1. PUT and GET of 4 KiB objects through the AWS SDK v3 S3Client, against the sandbox (identity
 *     pool credentials of a signed-in user, so every request is SigV4-verified and IAM-authorised)
 *     and against s3rver (which checks neither); requests/s, p50, p99, and the sandbox/s3rver ratio.
 *  2. The same 256 MiB multipart upload (lib-storage, the SDK's default checksums) to the sandbox and
 *     to s3rver, interleaved, in MB/s and as a ratio; the sandbox's MB per CPU-second next to the
 *     machine's MD5 + SHA-256 hashing rate on one core, measured in the same run.
 *  3. The sandbox process's peak resident set size (VmHWM) over the whole run.
 *
 * Both servers run in child processes of their own; this process only generates load. Everything is
 * on loopback in a temp folder that is removed at the end. Prints a final table with PASS/FAIL and
 * exits 0 either way (it is a report); exits 1 only when the benchmark itself could not run.
 *
 *   pnpm --filter sandbox bench [--only small|multipart] [--cpu-prof]
 *
 * --only runs one part (the peak RSS is reported either way); --cpu-prof writes a V8 CPU profile of
 * the sandbox process, keeps it, and prints where the time went (see profile-summary.ts).
 */
import { createHash, randomBytes, randomFillSync, randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { synthesizeRealApp } from '../test/deploy/real-app';
import { cliNodeFlags, killAllChildrenNow, startServerProcess, type ServerProcess } from './children';
import { LoadSeries, type LoadResult } from './load';
import { signUpAndSignIn } from './principal';
import { summarizeProfiles } from './profile-summary';

const OBJECT_SIZE = 4 * 1024;
const CONCURRENCY = 16;
// Long enough for V8 to finish optimising the hot paths of both servers before anything is measured.
const WARMUP_MS = 3_000;
const ROUNDS = 6;
const SLICE_MS = 2_000;
const MULTIPART_SIZE = 256 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 4;
// Five uploads per server, alternated S R R S S R R S S R: each round is two adjacent uploads.
const MULTIPART_ROUNDS = 5;
const RSS_LIMIT_BYTES = 200 * 1000 * 1000;
const WATCHDOG_MS = 5 * 60_000;
const S3RVER_BUCKET = 'bench';
const MB = 1000 * 1000;

interface Peer {
  readonly name: string;
  readonly server: ServerProcess;
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  /** How many objects the measured PUT phase wrote (the GET phase reads them back). */
  written: number;
}

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

interface Phase {
  readonly rows: Row[];
  /** Printed before the result table. */
  readonly details?: () => void;
}

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  /** Undefined for a figure that is reported without a target. */
  readonly pass: boolean | undefined;
}

async function main(): Promise<void> {
  // `pnpm bench -- --only small` passes the `--` through.
  const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
  const { values } = parseArgs({
    args,
    options: { only: { type: 'string' }, 'cpu-prof': { type: 'boolean' } },
  });
  if (values.only !== undefined && values.only !== 'small' && values.only !== 'multipart') {
    throw new Error(`--only takes "small" or "multipart", not "${values.only}"`);
  }
  const runSmall = values.only !== 'multipart';
  const runMultipart = values.only !== 'small';
  const began = performance.now();
  console.log('Sandbox benchmark (issue 3)');
  console.log(
    `  machine: ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, node ${process.version}`,
  );
  if (runSmall) {
    console.log(
      `  small objects: ${OBJECT_SIZE} B, concurrency ${CONCURRENCY}, ${(ROUNDS * SLICE_MS) / 1000} s measured per server and operation`,
    );
  }
  if (runMultipart) {
    console.log(
      `  multipart: ${MULTIPART_SIZE / 1024 / 1024} MiB in ${PART_SIZE / 1024 / 1024} MiB parts, queueSize ${QUEUE_SIZE}, ${MULTIPART_ROUNDS} uploads per server`,
    );
  }
  console.log('');

  step('synthesizing the CDK app (cached per source version)');
  const cdkOutDir = await synthesizeRealApp();

  const root = await mkdtemp(join(tmpdir(), 'sandbox-bench-'));
  cleanupDir = root;
  const profileDir = values['cpu-prof'] ? await mkdtemp(join(tmpdir(), 'sandbox-bench-profile-')) : undefined;

  step('starting the sandbox and s3rver in child processes');
  const sandbox = await startServerProcess(
    'sandbox',
    'sandbox-process.ts',
    [join(root, 'state'), cdkOutDir, join(root, 'outputs.sandbox.json')],
    [...cliNodeFlags(), ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
  );
  servers.push(sandbox);
  const rss = sampleMemory(sandbox);
  console.log(
    `    sandbox pid ${sandbox.pid} at ${sandbox.endpoint}, RSS after start ${fmtMb(sandbox.memory()?.current ?? NaN)} MB`,
  );
  await mkdir(join(root, 's3rver'));
  const s3rver = await startServerProcess('s3rver', 's3rver-process.ts', [
    join(root, 's3rver'),
    S3RVER_BUCKET,
  ]);
  servers.push(s3rver);
  console.log(`    s3rver  pid ${s3rver.pid} at ${s3rver.endpoint}`);

  rss.phase();
  step('signing a user up and in (SignUp, mailbox code, SRP, identity pool credentials)');
  const user = await signUpAndSignIn(
    sandbox.endpoint,
    join(root, 'outputs.sandbox.json'),
    `bench-${randomUUID().slice(0, 8)}@example.com`,
  );
  const prefix = `protected/${user.identityId}/bench/`;
  console.log(`    writing to s3://${user.bucket}/${prefix}; sandbox RSS up to ${fmtMb(rss.phase())} MB`);

  const phases: Phase[] = [];
  const peers: Peer[] = [
    {
      name: 'sandbox',
      server: sandbox,
      client: s3Client(sandbox.endpoint, user.region, user.credentials),
      bucket: user.bucket,
      prefix,
      written: 0,
    },
    {
      name: 's3rver',
      server: s3rver,
      // s3rver knows one key pair and does not check SigV4 signatures at all.
      client: s3Client(s3rver.endpoint, user.region, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }),
      bucket: S3RVER_BUCKET,
      prefix,
      written: 0,
    },
  ];
  if (runSmall) phases.push(await smallObjects(peers, rss));
  if (runMultipart) phases.push(await multipartVersusS3rver(peers, rss));
  for (const peer of peers) peer.client.destroy();

  const memory = rss.stop();
  if (memory.atSampledMax) {
    const m = memory.atSampledMax;
    console.log(
      `- sandbox memory at the highest sampled RSS (${fmtMb(memory.sampledMax)} MB): V8 heap ${fmtMb(m.heapTotal)} MB (${fmtMb(m.heapUsed)} used), array buffers ${fmtMb(m.arrayBuffers)} MB, the rest (code, threads, native) ${fmtMb(memory.sampledMax - m.heapTotal - m.arrayBuffers)} MB`,
    );
  }
  step('stopping the servers');
  await Promise.all(servers.map((s) => s.stop()));
  servers.length = 0;
  await rm(root, { recursive: true, force: true });
  cleanupDir = undefined;

  const rows = phases.flatMap((p) => p.rows);
  rows.push({
    figure: 'sandbox peak RSS (VmHWM)',
    value: `${fmtMb(memory.peak)} MB (highest sampled VmRSS ${fmtMb(memory.sampledMax)} MB)`,
    target: `< ${RSS_LIMIT_BYTES / MB} MB`,
    pass: memory.peak < RSS_LIMIT_BYTES,
  });
  for (const phase of phases) phase.details?.();
  console.log('\nResult');
  printTable(
    ['figure', 'value', 'target', 'result'],
    rows.map((r) => [
      r.figure,
      r.value,
      r.target,
      r.pass === undefined ? 'report' : r.pass ? 'PASS' : 'FAIL',
    ]),
  );
  const targets = rows.filter((r) => r.pass !== undefined).length;
  const failed = rows.filter((r) => r.pass === false).length;
  console.log(
    `\n${failed === 0 ? 'ALL TARGETS MET' : `${failed} OF ${targets} TARGETS MISSED`} (${((performance.now() - began) / 1000).toFixed(0)} s, load average now ${loadavg()[0]!.toFixed(2)} on ${cpus().length} CPUs)`,
  );
  if (profileDir) {
    console.log(`\nCPU profile of the sandbox process (kept): ${profileDir}`);
    await summarizeProfiles(profileDir);
  }
}

/**
 * 4 KiB PUTs, then GETs of what was written, against both servers in interleaved time slices.
 * Server CPU per request (from /proc) is what each server itself costs, whatever else the shared
 * machine runs; requests/s and latencies are what a client sees.
 */
async function smallObjects(peers: readonly Peer[], rss: MemorySampler): Promise<Phase> {
  const payload = randomBytes(OBJECT_SIZE);
  const operations = {
    PUT: async (peer: Peer, key: string) => {
      await peer.client.send(new PutObjectCommand({ Bucket: peer.bucket, Key: key, Body: payload }));
    },
    GET: async (peer: Peer, key: string) => {
      const out = await peer.client.send(new GetObjectCommand({ Bucket: peer.bucket, Key: key }));
      const body = Buffer.from(await out.Body!.transformToByteArray());
      if (!body.equals(payload)) {
        throw new Error(`${peer.name} returned ${body.length} bytes that differ from what was written`);
      }
    },
  };
  const results = { PUT: new Map<string, LoadResult>(), GET: new Map<string, LoadResult>() };
  const cpuPerRequestMs = { PUT: new Map<string, number>(), GET: new Map<string, number>() };
  const clientPerRequestMs = { PUT: new Map<string, number>(), GET: new Map<string, number>() };
  const clientCores = { PUT: new Map<string, number>(), GET: new Map<string, number>() };
  const roundRatios = { PUT: [] as number[], GET: [] as number[] };
  for (const op of ['PUT', 'GET'] as const) {
    step(
      `${op} ${OBJECT_SIZE} B objects: ${WARMUP_MS / 1000} s warm-up each, then ${ROUNDS} rounds of ${SLICE_MS / 1000} s per server, interleaved`,
    );
    // PUT writes object-0, object-1, ... ; GET reads them back round-robin.
    const key = (peer: Peer, n: number) => `${peer.prefix}object-${op === 'PUT' ? n : n % peer.written}`;
    for (const peer of peers) {
      const warmupKey = (n: number) => (op === 'PUT' ? `${peer.prefix}warmup-${n}` : key(peer, n));
      await new LoadSeries().slice(CONCURRENCY, WARMUP_MS, (n) => operations[op](peer, warmupKey(n)));
    }
    const series = new Map(peers.map((peer) => [peer.name, new LoadSeries()]));
    const cpu = new Map(peers.map((peer) => [peer.name, 0]));
    const clientCpu = new Map(peers.map((peer) => [peer.name, 0]));
    for (let round = 0; round < ROUNDS; round++) {
      const rate = new Map<string, number>();
      for (const peer of abba(peers, round)) {
        const cpuBefore = peer.server.cpuSeconds();
        const clientBefore = process.cpuUsage();
        rate.set(
          peer.name,
          await series
            .get(peer.name)!
            .slice(CONCURRENCY, SLICE_MS, (n) => operations[op](peer, key(peer, n))),
        );
        cpu.set(peer.name, cpu.get(peer.name)! + peer.server.cpuSeconds() - cpuBefore);
        const used = process.cpuUsage(clientBefore);
        clientCpu.set(peer.name, clientCpu.get(peer.name)! + (used.user + used.system) / 1e6);
      }
      // Each round pairs two adjacent slices, so load drifting on the machine cancels within it.
      roundRatios[op].push(rate.get('sandbox')! / rate.get('s3rver')!);
    }
    for (const peer of peers) {
      const result = series.get(peer.name)!.result();
      if (op === 'PUT') peer.written = result.requests;
      results[op].set(peer.name, result);
      const cpuMs = (cpu.get(peer.name)! * 1000) / result.requests;
      cpuPerRequestMs[op].set(peer.name, cpuMs);
      clientPerRequestMs[op].set(peer.name, (clientCpu.get(peer.name)! * 1000) / result.requests);
      clientCores[op].set(peer.name, clientCpu.get(peer.name)! / result.seconds);
      console.log(
        `    ${peer.name.padEnd(7)} ${describe(result)}, server CPU ${cpuMs.toFixed(2)} ms/request`,
      );
    }
    console.log(
      `    per-round ratios sandbox / s3rver: ${roundRatios[op].map((r) => r.toFixed(2)).join(' ')}; sandbox RSS up to ${fmtMb(rss.phase())} MB`,
    );
  }

  const rows = (['PUT', 'GET'] as const).map((op): Row => {
    const ours = results[op].get('sandbox')!;
    const theirs = results[op].get('s3rver')!;
    const ratio = median(roundRatios[op]);
    return {
      figure: `4 KiB ${op} throughput, sandbox / s3rver`,
      value: `${ratio.toFixed(2)}x (median of ${ROUNDS} rounds; overall ${ours.perSecond.toFixed(0)} vs ${theirs.perSecond.toFixed(0)} req/s)`,
      target: '>= 1.00x',
      pass: ratio >= 1,
    };
  });
  const details = () => {
    console.log(
      `\nSmall objects (4 KiB, concurrency ${CONCURRENCY}, keep-alive, same S3Client settings for both)`,
    );
    printTable(
      [
        'operation',
        'server',
        'requests',
        'req/s',
        'p50 ms',
        'p99 ms',
        'server CPU ms/req',
        'client CPU ms/req',
        'client cores busy',
      ],
      (['PUT', 'GET'] as const).flatMap((op) =>
        [...results[op]].map(([name, r]) => [
          op,
          name,
          String(r.requests),
          r.perSecond.toFixed(0),
          r.p50Ms.toFixed(2),
          r.p99Ms.toFixed(2),
          cpuPerRequestMs[op].get(name)!.toFixed(2),
          clientPerRequestMs[op].get(name)!.toFixed(2),
          clientCores[op].get(name)!.toFixed(2),
        ]),
      ),
    );
    console.log(
      '  The load generator is one Node thread: when it is near 1.00 core busy, it sets the pace for both servers.',
    );
  };
  return { rows, details };
}

/**
 * The same multipart upload to both servers, alternated (S R R S S R ...) so that load drifting on
 * the shared machine hits both alike, compared by the median of the per-round ratios. The
 * sandbox's CPU per upload is set against what MD5 + SHA-256 alone cost on one core of this
 * machine: those two hashes of every byte are the floor of what a verifying server must spend.
 */
async function multipartVersusS3rver(peers: readonly Peer[], rss: MemorySampler): Promise<Phase> {
  step(`generating ${MULTIPART_SIZE / 1024 / 1024} MiB of random data (not timed)`);
  const data = Buffer.allocUnsafe(MULTIPART_SIZE);
  randomFillSync(data);
  const hashing = hashingRate(data);
  console.log(
    `    MD5 + SHA-256 of every byte on one core of this machine: ${hashing.toFixed(0)} MB per CPU-second (best of 3)`,
  );

  step(`multipart upload to each server, ${MULTIPART_ROUNDS} rounds, interleaved`);
  const rates = new Map(peers.map((peer) => [peer.name, [] as number[]]));
  const cpu = new Map(peers.map((peer) => [peer.name, 0]));
  const roundRatios: number[] = [];
  let upload = 0;
  for (let round = 0; round < MULTIPART_ROUNDS; round++) {
    const rate = new Map<string, number>();
    for (const peer of abba(peers, round)) {
      const cpuBefore = peer.server.cpuSeconds();
      const clientBefore = process.cpuUsage();
      const seconds = await multipartUpload(peer, `${peer.prefix}multipart-${upload++}.bin`, data);
      const serverCpu = peer.server.cpuSeconds() - cpuBefore;
      const used = process.cpuUsage(clientBefore);
      cpu.set(peer.name, cpu.get(peer.name)! + serverCpu);
      rate.set(peer.name, MULTIPART_SIZE / MB / seconds);
      rates.get(peer.name)!.push(MULTIPART_SIZE / MB / seconds);
      console.log(
        `    ${peer.name.padEnd(7)} ${(MULTIPART_SIZE / MB / seconds).toFixed(1).padStart(7)} MB/s, CPU: server ${serverCpu.toFixed(2)} s, client ${((used.user + used.system) / 1e6).toFixed(2)} s`,
      );
    }
    roundRatios.push(rate.get('sandbox')! / rate.get('s3rver')!);
  }
  const perCpuSecond = (name: string) => (MULTIPART_ROUNDS * MULTIPART_SIZE) / MB / cpu.get(name)!;
  const ours = median(rates.get('sandbox')!);
  const theirs = median(rates.get('s3rver')!);
  const ratio = median(roundRatios);
  console.log(
    `    per-round ratios sandbox / s3rver: ${roundRatios.map((r) => r.toFixed(2)).join(' ')}; medians: sandbox ${ours.toFixed(1)} MB/s, s3rver ${theirs.toFixed(1)} MB/s`,
  );
  console.log(
    `    MB of upload per server CPU-second: sandbox ${perCpuSecond('sandbox').toFixed(0)}, s3rver ${perCpuSecond('s3rver').toFixed(0)}; sandbox RSS up to ${fmtMb(rss.phase())} MB`,
  );
  return {
    rows: [
      {
        figure: '256 MiB multipart throughput, sandbox / s3rver',
        value: `${ratio.toFixed(2)}x (median of ${MULTIPART_ROUNDS} rounds; medians ${ours.toFixed(0)} vs ${theirs.toFixed(0)} MB/s)`,
        target: '>= 1.00x',
        pass: ratio >= 1,
      },
      {
        figure: 'sandbox MB per CPU-second (multipart)',
        value: `${perCpuSecond('sandbox').toFixed(0)}, ${((perCpuSecond('sandbox') / hashing) * 100).toFixed(0)}% of the MD5 + SHA-256 rate (${hashing.toFixed(0)})`,
        target: '-',
        pass: undefined,
      },
    ],
  };
}

/** MB of `data` per CPU-second for one MD5 and one SHA-256 pass over it, the best of three. */
function hashingRate(data: Buffer): number {
  let best = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = process.cpuUsage();
    createHash('md5').update(data).digest();
    createHash('sha256').update(data).digest();
    const used = process.cpuUsage(before);
    best = Math.max(best, data.length / MB / ((used.user + used.system) / 1e6));
  }
  return best;
}

/** The same client settings for both peers: path style, no retries, keep-alive sockets, one per worker. */
function s3Client(endpoint: string, region: string, credentials: Credentials): S3Client {
  return new S3Client({
    region,
    endpoint,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials,
    requestHandler: {
      httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
      requestTimeout: 60_000,
    },
  });
}

/**
 * ABBA order (A B, B A, A B, ...): the machine is shared, so background load drifts; alternating
 * who goes first makes the drift hit both sides alike instead of whichever ran second.
 */
function abba<T>(items: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}

/** Seconds for a lib-storage Upload of `data`, checked by its size afterwards. */
async function multipartUpload(peer: Peer, key: string, data: Buffer): Promise<number> {
  const { client, bucket } = peer;
  const t0 = performance.now();
  await new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: data },
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
    leavePartsOnError: false,
  }).done();
  const seconds = (performance.now() - t0) / 1000;
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if (head.ContentLength !== data.length)
    throw new Error(`${peer.name} stored ${head.ContentLength} bytes, not ${data.length}`);
  // s3rver answers a completed multipart upload with a whole-object MD5 instead of S3's
  // `<md5 of the part MD5s>-<parts>`; the sandbox must return the real shape.
  if (peer.name === 'sandbox' && !/-\d+"$/.test(head.ETag ?? ''))
    throw new Error(`${peer.name} returned ${head.ETag}, which is not a multipart ETag`);
  // Deleted so that each upload starts with the same free memory and page cache (a kept 256 MiB
  // object would leave the next write less of both).
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  return seconds;
}

interface MemoryReport {
  /** VmHWM: the kernel's own high-water mark of the resident set. */
  readonly peak: number;
  readonly sampledMax: number;
  /** What V8 said it held when the highest VmRSS was sampled. */
  readonly atSampledMax?: NodeJS.MemoryUsage;
}

/** Samples VmRSS every 100 ms, to show in which phase the peak happened and what it was made of. */
interface MemorySampler {
  /** The highest VmRSS since the previous call. */
  phase(): number;
  stop(): MemoryReport;
}

function sampleMemory(server: ServerProcess): MemorySampler {
  let sampledMax = 0;
  let phaseMax = 0;
  let atSampledMax: NodeJS.MemoryUsage | undefined;
  const sample = () => {
    const current = server.memory()?.current ?? 0;
    phaseMax = Math.max(phaseMax, current);
    if (current > sampledMax) {
      sampledMax = current;
      void server.memoryUsage().then((usage) => {
        if (usage && sampledMax === current) atSampledMax = usage;
      });
    }
  };
  const timer = setInterval(sample, 100);
  return {
    phase() {
      sample();
      const max = phaseMax;
      phaseMax = 0;
      return max;
    },
    stop() {
      clearInterval(timer);
      sample();
      const last = server.memory();
      if (!last) throw new Error(`cannot read /proc/${server.pid}/status: did the sandbox exit?`);
      return { peak: last.peak, sampledMax, atSampledMax };
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function describe(r: LoadResult): string {
  return `${r.requests} requests in ${r.seconds.toFixed(1)} s: ${r.perSecond.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms`;
}

function fmtMb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

function step(message: string): void {
  console.log(`- ${message}`);
}

function printTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  console.log(line(headers));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
}

const servers: ServerProcess[] = [];
let cleanupDir: string | undefined;

/** Synchronous, so that it can run in an 'exit' handler; a no-op once main() has cleaned up. */
function emergencyCleanup(): void {
  killAllChildrenNow();
  if (cleanupDir) rmSync(cleanupDir, { recursive: true, force: true });
  cleanupDir = undefined;
}

// Also covers crashes nothing catches, e.g. EPIPE when the output is piped into `head`.
process.on('exit', emergencyCleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping the servers`);
    emergencyCleanup();
    process.exit(130);
  });
}
const watchdog = setTimeout(() => {
  console.error(`\nbench: still running after ${WATCHDOG_MS / 60_000} minutes; giving up`);
  emergencyCleanup();
  process.exit(1);
}, WATCHDOG_MS);

main().then(
  () => {
    clearTimeout(watchdog);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(
      `\nbench: could not complete: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    emergencyCleanup();
    process.exit(1);
  },
);
