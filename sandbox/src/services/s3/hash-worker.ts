import { Worker } from 'node:worker_threads';

/**
 * MD5 (the ETag) and SHA-256 (x-amz-content-sha256) of large bodies, computed on a worker thread.
 * On the request thread the two hashes run one after the other and cap an upload at roughly
 * 150 MB per CPU-second; on a worker they overlap with parsing, the checksum and the disk writes.
 * The worker is plain JavaScript passed as source, so it runs the same under tsx, ts-jest and node.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const sessions = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'start') {
    sessions.set(m.id, m.algorithms.map((a) => createHash(a)));
  } else if (m.type === 'data') {
    const hashes = sessions.get(m.id);
    const bytes = new Uint8Array(m.buffer, 0, m.length);
    if (hashes) for (const h of hashes) h.update(bytes);
    parentPort.postMessage({ type: 'ack', id: m.id, buffer: m.buffer, bytes: m.length }, [m.buffer]);
  } else if (m.type === 'end') {
    const hashes = sessions.get(m.id) || [];
    sessions.delete(m.id);
    parentPort.postMessage({ type: 'digest', id: m.id, digests: hashes.map((h) => h.digest('hex')) });
  } else if (m.type === 'drop') {
    sessions.delete(m.id);
  }
});
`;

const BATCH_BYTES = 256 * 1024;
/** Batch buffers travel to the worker and back (transferred, not copied) and are reused. */
const MAX_POOLED = 32;
const pool: ArrayBuffer[] = [];

function takeBuffer(): ArrayBuffer {
  return pool.pop() ?? new ArrayBuffer(BATCH_BYTES);
}
/** Bytes a session may have posted but not yet hashed before the body stream waits (bounds memory). */
const MAX_IN_FLIGHT = 2 * 1024 * 1024;

type WorkerMessage =
  | { type: 'ack'; id: number; buffer: ArrayBuffer; bytes: number }
  | { type: 'digest'; id: number; digests: string[] };

interface SessionState {
  onAck(bytes: number): void;
  onDigest(digests: string[]): void;
  onError(err: Error): void;
}

class HashWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly sessions = new Map<number, SessionState>();

  open(algorithms: readonly string[]): HashSession {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    worker.postMessage({ type: 'start', id, algorithms });
    // Referenced only while a session waits on it, so an idle worker never keeps the process alive.
    if (this.sessions.size === 0) worker.ref();
    return new HashSession(id, worker, this.sessions, () => {
      this.sessions.delete(id);
      if (this.sessions.size === 0) worker.unref();
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The worker only hashes transferred buffers: a small heap keeps the sandbox's memory down.
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
    });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ack' && pool.length < MAX_POOLED) pool.push(m.buffer);
      const session = this.sessions.get(m.id);
      if (!session) return;
      if (m.type === 'ack') session.onAck(m.bytes);
      else session.onDigest(m.digests);
    });
    const fail = (err: Error) => {
      this.worker = undefined;
      for (const session of this.sessions.values()) session.onError(err);
      this.sessions.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`hash worker exited with code ${code}`)));
    // Idle, it must not keep the sandbox (or a test run) alive. After the listeners: adding a
    // 'message' listener refs the worker's port again.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

export class HashSession {
  private current: ArrayBuffer | undefined;
  private filled = 0;
  private inFlight = 0;
  private waiting: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private digestWaiter: { resolve: (d: string[]) => void; reject: (err: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly id: number,
    private readonly worker: Worker,
    sessions: Map<number, SessionState>,
    private readonly release: () => void,
  ) {
    sessions.set(id, {
      onAck: (bytes) => {
        this.inFlight -= bytes;
        if (this.waiting && this.inFlight <= MAX_IN_FLIGHT / 2) {
          this.waiting.resolve();
          this.waiting = undefined;
        }
      },
      onDigest: (digests) => {
        this.release();
        this.digestWaiter?.resolve(digests);
      },
      onError: (err) => {
        this.failure = err;
        this.waiting?.reject(err);
        this.digestWaiter?.reject(err);
      },
    });
  }

  /** Queues a chunk; returns a promise to await when the worker is too far behind. */
  update(chunk: Buffer): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    // Copied into a batch buffer the worker can own: the request's chunks are still being written to disk.
    let offset = 0;
    while (offset < chunk.length) {
      this.current ??= takeBuffer();
      const take = Math.min(chunk.length - offset, BATCH_BYTES - this.filled);
      new Uint8Array(this.current, this.filled, take).set(chunk.subarray(offset, offset + take));
      this.filled += take;
      offset += take;
      if (this.filled === BATCH_BYTES) this.flush();
    }
    if (this.inFlight <= MAX_IN_FLIGHT) return undefined;
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** Hex digests, in the order of the algorithms the session was opened with. */
  digest(): Promise<string[]> {
    this.flush();
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.digestWaiter = { resolve, reject };
      this.worker.postMessage({ type: 'end', id: this.id });
    });
  }

  abort(): void {
    if (this.current && pool.length < MAX_POOLED) pool.push(this.current);
    this.current = undefined;
    this.release();
    this.worker.postMessage({ type: 'drop', id: this.id });
  }

  private flush(): void {
    if (!this.current || this.filled === 0) return;
    this.worker.postMessage({ type: 'data', id: this.id, buffer: this.current, length: this.filled }, [
      this.current,
    ]);
    this.inFlight += this.filled;
    this.current = undefined;
    this.filled = 0;
  }
}

let shared: HashWorker | undefined;

/** Opens a hashing session on the process-wide hash worker (started on first use). */
export function openHashSession(algorithms: readonly string[]): HashSession {
  shared ??= new HashWorker();
  return shared.open(algorithms);
}
