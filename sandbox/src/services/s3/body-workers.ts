import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Large request bodies are hashed and written to disk by a small pool of worker threads. Per body
 * the sandbox computes MD5 (the ETag), SHA-256 (to verify x-amz-content-sha256) and usually CRC32
 * (x-amz-checksum-crc32): about 2.5 ms of CPU per MB, MD5 alone 1.8. The request thread only
 * copies each chunk into a batch buffer and transfers the batch to the worker that owns the body;
 * the worker hashes it, writes it to the already open file, and transfers the buffer back for the
 * next batch. Bodies uploaded in parallel (multipart parts) go to different workers.
 *
 * Why transferred buffers and not one SharedArrayBuffer per worker (tried: it saves the 0.2-0.3
 * CPU-s of GC per 256 MiB that the transfers cause): V8 collects the request's 64 KiB chunks,
 * which die as soon as they are copied, only when its external memory has grown by 64 MB. A
 * buffer coming back from a worker counts as new external memory too, so with transfers the
 * collections come twice as often and the sandbox's peak RSS during an upload is about 30 MB lower.
 *
 * The worker is plain JavaScript passed as source, so it runs the same under tsx, ts-jest and node.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { crc32 } = require('node:zlib');
const { writeSync } = require('node:fs');
function digester(algorithm) {
  if (algorithm === 'crc32') {
    let value = 0;
    return {
      update: (bytes) => { value = crc32(bytes, value); },
      digest: () => {
        const out = Buffer.alloc(4);
        out.writeUInt32BE(value >>> 0);
        return out.toString('hex');
      },
    };
  }
  const hash = createHash(algorithm);
  return { update: (bytes) => hash.update(bytes), digest: () => hash.digest('hex') };
}
const sessions = new Map();
parentPort.on('message', (m) => {
  const session = sessions.get(m.id);
  if (m.type === 'start') {
    sessions.set(m.id, { fd: m.fd, digesters: m.algorithms.map(digester), error: undefined });
  } else if (m.type === 'data') {
    if (session && !session.error) {
      const bytes = new Uint8Array(m.buffer, 0, m.length);
      try {
        for (const d of session.digesters) d.update(bytes);
        let written = 0;
        while (written < bytes.length) {
          written += writeSync(session.fd, bytes, written, bytes.length - written);
        }
      } catch (err) {
        session.error = { message: String(err && err.message), code: err && err.code };
      }
    }
    parentPort.postMessage({ type: 'free', id: m.id, slot: m.slot, buffer: m.buffer }, [m.buffer]);
  } else if (m.type === 'end') {
    sessions.delete(m.id);
    if (!session) return;
    if (session.error) parentPort.postMessage({ type: 'failed', id: m.id, error: session.error });
    else {
      const digests = session.digesters.map((d) => d.digest());
      parentPort.postMessage({ type: 'digest', id: m.id, digests });
    }
  } else if (m.type === 'drop') {
    sessions.delete(m.id);
    parentPort.postMessage({ type: 'dropped', id: m.id });
  }
});
`;

/** What the workers compute: Node hash names, and 'crc32' (zlib's, native). */
export type WorkerAlgorithm = 'md5' | 'sha1' | 'sha256' | 'crc32';

const SLOT_BYTES = 256 * 1024;
/** Per worker: bounds the bytes received but not yet written (2 MiB) and the memory the pool holds. */
const SLOTS = 8;
/**
 * More workers than cores would only compete with the request thread; beyond a few, each one costs
 * its memory for uploads wider than any client sends.
 */
const MAX_WORKERS = Math.max(1, Math.min(availableParallelism(), 4));

type WorkerMessage =
  | { type: 'free'; id: number; slot: number; buffer: ArrayBuffer }
  | { type: 'digest'; id: number; digests: string[] }
  | { type: 'failed'; id: number; error: { message: string; code?: string } }
  | { type: 'dropped'; id: number };

type Outcome = { digests: string[] } | { error: Error };

class BodyWorker {
  readonly sessions = new Map<number, (outcome: Outcome) => void>();
  dead = false;
  private readonly worker: Worker;
  private readonly buffers: Array<ArrayBuffer | undefined>;
  private readonly free: number[] = [];
  private readonly slotWaiters: Array<{ resolve: (slot: number) => void; reject: (err: Error) => void }> = [];

  constructor(onExit: () => void) {
    this.buffers = Array.from({ length: SLOTS }, () => new ArrayBuffer(SLOT_BYTES));
    for (let i = 0; i < SLOTS; i++) this.free.push(i);
    // The worker's heap only holds a few small objects per body: a small one keeps the RSS down.
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
    });
    this.worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'free') {
        this.buffers[m.slot] = m.buffer;
        return this.releaseSlot(m.slot);
      }
      const settle = this.sessions.get(m.id);
      if (!settle) return;
      if (m.type === 'digest') settle({ digests: m.digests });
      else if (m.type === 'failed')
        settle({ error: Object.assign(new Error(m.error.message), { code: m.error.code }) });
      else settle({ error: new Error('The body was abandoned.') });
    });
    const fail = (err: Error) => {
      if (this.dead) return;
      this.dead = true;
      for (const settle of [...this.sessions.values()]) settle({ error: err });
      this.sessions.clear();
      // Slots handed to a dead worker never come back: a body waiting for one would wait forever.
      for (const waiter of this.slotWaiters.splice(0)) waiter.reject(err);
      onExit();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`A body worker exited with code ${code}.`)));
    // Idle, it must not keep the sandbox (or a test run) alive. After the listeners: adding a
    // 'message' listener refs the worker's port again.
    this.worker.unref();
  }

  post(message: unknown, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(message, transfer);
  }

  view(slot: number): Uint8Array {
    return new Uint8Array(this.buffers[slot]!);
  }

  hand(slot: number): ArrayBuffer {
    const buffer = this.buffers[slot]!;
    this.buffers[slot] = undefined;
    return buffer;
  }

  /** A free slot now, or undefined: then wait with `nextSlot`. */
  takeSlot(): number | undefined {
    return this.free.pop();
  }

  /** The next slot freed, reserved for the caller (callers are served in order). */
  nextSlot(): Promise<number> {
    return new Promise((resolve, reject) => this.slotWaiters.push({ resolve, reject }));
  }

  releaseSlot(slot: number): void {
    const waiter = this.slotWaiters.shift();
    if (waiter) waiter.resolve(slot);
    else this.free.push(slot);
  }

  /** Referenced only while a body is in progress, so an idle worker never keeps the process alive. */
  track(id: number, settle: (outcome: Outcome) => void): void {
    if (this.sessions.size === 0) this.worker.ref();
    this.sessions.set(id, settle);
  }

  untrack(id: number): void {
    if (this.sessions.delete(id) && this.sessions.size === 0) this.worker.unref();
  }
}

const workers: BodyWorker[] = [];
let nextId = 1;

/** The least busy worker; a new one while every worker has a body and the pool may grow. */
function pickWorker(): BodyWorker {
  let best: BodyWorker | undefined;
  for (const w of workers) if (!best || w.sessions.size < best.sessions.size) best = w;
  if (best && (best.sessions.size === 0 || workers.length >= MAX_WORKERS)) return best;
  const worker = new BodyWorker(() => {
    const at = workers.indexOf(worker);
    if (at !== -1) workers.splice(at, 1);
  });
  workers.push(worker);
  return worker;
}

/**
 * One body on its way to disk: `write` each chunk in order, then `finish` for the digests (hex, in
 * the order of the algorithms), or `abort`. The caller owns the file descriptor and must close it
 * only after `finish` or `abort` has settled: until then the worker may still write to it, and a
 * closed descriptor's number can be reused by another file.
 */
export class BodySession {
  private readonly id = nextId++;
  private readonly worker: BodyWorker;
  private slot: number | undefined;
  private filled = 0;
  private outcome: Outcome | undefined;
  private waiting: ((outcome: Outcome) => void) | undefined;

  constructor(algorithms: readonly WorkerAlgorithm[], fd: number) {
    this.worker = pickWorker();
    this.worker.track(this.id, (outcome) => {
      this.worker.untrack(this.id);
      this.outcome = outcome;
      this.waiting?.(outcome);
    });
    this.worker.post({ type: 'start', id: this.id, algorithms, fd });
  }

  /** Hands a chunk over; returns a promise to await when every slot is taken (the disk is behind). */
  write(chunk: Buffer): Promise<void> | undefined {
    if (this.outcome && 'error' in this.outcome) throw this.outcome.error;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.slot === undefined) {
        const slot = this.worker.takeSlot();
        if (slot === undefined) return this.writeWhenFree(chunk.subarray(offset));
        this.slot = slot;
      }
      const take = Math.min(chunk.length - offset, SLOT_BYTES - this.filled);
      this.worker.view(this.slot).set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === SLOT_BYTES) this.flush();
    }
    return undefined;
  }

  /** Resolves once every byte is written, with the digests; rejects if a write failed. */
  async finish(): Promise<string[]> {
    this.flush();
    const outcome = await this.settle('end');
    if ('error' in outcome) throw outcome.error;
    return outcome.digests;
  }

  /** Resolves once the worker has let go of the body and its descriptor. */
  async abort(): Promise<void> {
    if (this.slot !== undefined) this.worker.releaseSlot(this.slot);
    this.slot = undefined;
    this.filled = 0;
    await this.settle('drop');
  }

  private async writeWhenFree(rest: Buffer): Promise<void> {
    this.slot = await this.worker.nextSlot();
    if (this.outcome && 'error' in this.outcome) {
      this.worker.releaseSlot(this.slot);
      this.slot = undefined;
      throw this.outcome.error;
    }
    await this.write(rest);
  }

  private settle(type: 'end' | 'drop'): Promise<Outcome> {
    return new Promise((resolve) => {
      if (this.outcome || this.worker.dead) return resolve(this.outcome ?? { error: new Error('dead') });
      this.waiting = resolve;
      this.worker.post({ type, id: this.id });
    });
  }

  private flush(): void {
    if (this.slot === undefined || this.filled === 0) return;
    const buffer = this.worker.hand(this.slot);
    this.worker.post({ type: 'data', id: this.id, slot: this.slot, length: this.filled, buffer }, [buffer]);
    this.slot = undefined;
    this.filled = 0;
  }
}
