/**
 * At least once across a crash: the sandbox is SIGKILLed while the function an upload's event
 * went to is still running; after a restart on the same state folder the event is delivered
 * again, and it leaves the outbox once delivered.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runChildUntil } from '../helpers/kill-child';
import { receivedEvents, startEventsSandbox } from './harness';

test('kill -9 while the function runs: after the restart the event is delivered again', async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-s3-events-fault-'));
  const key = 'slow/killed during the run.jpg';
  try {
    let put: string | undefined;
    await runChildUntil(join(__dirname, 'fault-child.ts'), [stateDir, key], (line) => {
      put ??= /^PUT (\S+)$/.exec(line)?.[1];
      // The function has started and has not finished (it prints the event after 3 s).
      return line.startsWith('[slow-recorder]') && line.includes('SLOW STARTED');
    });
    expect(await readdir(join(stateDir, 's3-events', 'outbox'))).toHaveLength(1);

    const env = await startEventsSandbox(stateDir);
    try {
      let events = receivedEvents(env.logger, 'slow-recorder');
      for (let waited = 0; events.length === 0 && waited < 20_000; waited += 50) {
        await sleep(50);
        events = receivedEvents(env.logger, 'slow-recorder');
      }
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        eventName: 'ObjectCreated:Put',
        s3: { object: { key: 'slow/killed+during+the+run.jpg', size: 4 } },
      });
      if (put !== undefined) expect(`"${events[0]!.s3.object.eTag}"`).toBe(put);
      let left = await readdir(join(stateDir, 's3-events', 'outbox'));
      for (let waited = 0; left.length > 0 && waited < 5_000; waited += 50) {
        await sleep(50);
        left = await readdir(join(stateDir, 's3-events', 'outbox'));
      }
      expect(left).toEqual([]);
    } finally {
      await env.close();
    }
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}, 120_000);
