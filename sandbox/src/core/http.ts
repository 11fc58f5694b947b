/**
 * Request and response plumbing the JSON-protocol services share (DynamoDB, Secrets Manager,
 * AppSync): bounded bodies, one header's value, and a JSON answer with the caller's headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A header's value; the first one when a client repeated it. */
export function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body, refused with `tooLarge()` as soon as Content-Length says it is over `limit` or it grows past it. */
export async function readBodyWithin(
  req: IncomingMessage,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  if (Number(firstHeader(req, 'content-length') ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** `body` as JSON with exactly `headers` (each protocol names its own content type) and its length. */
export function sendJsonAs(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'content-length': String(data.length) });
  res.end(data);
}
