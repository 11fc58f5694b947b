import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock';
import { MemoryLogger } from '../../src/core/logger';
import { Mailbox } from '../../src/services/mailbox';

describe('Mailbox', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-mailbox-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps messages across a restart, filters by recipient case-insensitively, and clears', async () => {
    const clock = new ManualClock(new Date('2026-05-01T10:00:00Z'));
    const logger = new MemoryLogger();
    const mailbox = await Mailbox.open(dir, logger, clock);
    await mailbox.send({
      to: 'Jane@Example.com',
      subject: 'Your verification code',
      body: 'Your code is 123456',
      code: '123456',
    });
    clock.advance(1000);
    await mailbox.send({
      to: 'john@example.com',
      subject: 'Your verification code',
      body: 'Your code is 654321',
      code: '654321',
    });
    clock.advance(1000);
    await mailbox.send({
      to: 'jane@example.com',
      subject: 'Your password reset code',
      body: 'Your code is 111111',
      code: '111111',
    });
    expect(logger.lines.map((l) => l.message)).toContain(
      'mail to john@example.com: Your verification code (code 654321)',
    );

    const reopened = await Mailbox.open(dir);
    expect(reopened.list()).toHaveLength(3);
    expect(reopened.list('JANE@example.com').map((m) => m.code)).toEqual(['123456', '111111']);
    expect(reopened.latest('jane@example.com')).toMatchObject({
      code: '111111',
      sentAt: '2026-05-01T10:00:02.000Z',
    });
    expect(reopened.latest('nobody@example.com')).toBeUndefined();

    await reopened.clear();
    expect((await Mailbox.open(dir)).list()).toEqual([]);
  });
});
