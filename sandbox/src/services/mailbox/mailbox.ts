import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../../core/clock';
import { systemClock } from '../../core/clock';
import { JsonDoc } from '../../core/json-doc';
import type { Logger } from '../../core/logger';

/** An email the sandbox would have sent. Nothing leaves the machine: tests and people read it here. */
export interface MailMessage {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  /** The verification or reset code the message carries, so tests need not parse the body. */
  readonly code?: string;
  /** ISO 8601. */
  readonly sentAt: string;
}

export type OutgoingMail = Omit<MailMessage, 'id' | 'sentAt'>;

/** Persistent local mailbox, served by the HTTP server at `GET /_sandbox/mailbox?to=`. */
export class Mailbox {
  private readonly doc: JsonDoc<{ messages: MailMessage[] }>;

  /**
   * `dir` is the mailbox's own folder (e.g. `<stateDir>/mailbox`); without one the mailbox lives in
   * memory only (unit tests). With a logger every message is also printed, code included, so a
   * person running the sandbox sees it in the console.
   */
  constructor(
    dir?: string,
    private readonly logger?: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.doc = dir
      ? JsonDoc.load(join(dir, 'messages.json'), () => ({ messages: [] }))
      : JsonDoc.inMemory({ messages: [] });
  }

  /** The async form the composition root uses; loading is synchronous today (one small file). */
  static open(dir: string, logger?: Logger, clock?: Clock): Promise<Mailbox> {
    return Promise.resolve(new Mailbox(dir, logger, clock));
  }

  async send(mail: OutgoingMail): Promise<MailMessage> {
    const message: MailMessage = { ...mail, id: randomUUID(), sentAt: this.clock.now().toISOString() };
    this.doc.data.messages.push(message);
    await this.doc.save();
    this.logger?.info(
      `mail to ${message.to}: ${message.subject}${message.code ? ` (code ${message.code})` : ''}`,
    );
    return message;
  }

  /** Oldest first; `to` matches case-insensitively, as email addresses do. */
  list(to?: string): MailMessage[] {
    const all = this.doc.data.messages;
    if (to === undefined) return [...all];
    const wanted = to.toLowerCase();
    return all.filter((m) => m.to.toLowerCase() === wanted);
  }

  latest(to: string): MailMessage | undefined {
    return this.list(to).at(-1);
  }

  async clear(): Promise<void> {
    this.doc.data.messages = [];
    await this.doc.save();
  }
}
