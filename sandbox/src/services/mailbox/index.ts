export { Mailbox } from './mailbox';
export type { MailMessage, OutgoingMail } from './mailbox';
