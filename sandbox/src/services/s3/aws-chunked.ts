import { s3Errors } from './errors';
import { AwsError } from '../../core/errors';

/**
 * Decodes `Content-Encoding: aws-chunked` bodies (`<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n`
 * ... `0\r\n<trailer lines>\r\n\r\n`). Written by hand because the maintained libraries only encode
 * this framing (client side); nothing decodes it on a server.
 */
export interface ChunkSignatureVerifier {
  /** Called with each chunk's bytes as they arrive, then `end` with the signature the client sent. */
  update(data: Buffer): void;
  end(signature: string | undefined): Promise<void>;
}

const MAX_LINE = 8192;
const CRLF = Buffer.from('\r\n');

export class AwsChunkedDecoder {
  readonly trailers = new Map<string, string>();

  constructor(private readonly verifier?: ChunkSignatureVerifier) {}

  async *decode(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
    let line: Buffer = Buffer.alloc(0);
    let remaining = 0;
    let crlfSeen = 0;
    let pendingSignature: string | undefined;

    for await (const input of source) {
      let buf: Buffer = input;
      while (buf.length > 0) {
        if (state === 'data') {
          const take = Math.min(remaining, buf.length);
          const piece = buf.subarray(0, take);
          buf = buf.subarray(take);
          remaining -= take;
          this.verifier?.update(piece);
          yield piece;
          if (remaining === 0) {
            await this.verifier?.end(pendingSignature);
            state = 'data-end';
            crlfSeen = 0;
          }
        } else if (state === 'data-end') {
          if (buf[0] !== CRLF[crlfSeen]) throw malformed();
          buf = buf.subarray(1);
          if (++crlfSeen === 2) state = 'size';
        } else if (state === 'done') {
          throw malformed();
        } else {
          const newline = buf.indexOf(0x0a);
          const part = newline === -1 ? buf : buf.subarray(0, newline + 1);
          buf = newline === -1 ? Buffer.alloc(0) : buf.subarray(newline + 1);
          line = line.length === 0 ? part : Buffer.concat([line, part]);
          if (line.length > MAX_LINE) throw malformed();
          if (newline === -1) continue;
          if (line.length < 2 || line[line.length - 2] !== 0x0d) throw malformed();
          const text = line.subarray(0, line.length - 2).toString('latin1');
          line = Buffer.alloc(0);
          if (state === 'size') {
            const { size, signature } = this.readSizeLine(text);
            pendingSignature = signature;
            if (size === 0) {
              await this.verifier?.end(signature);
              state = 'trailer';
            } else {
              state = 'data';
              remaining = size;
            }
          } else if (text === '') {
            state = 'done';
          } else {
            const colon = text.indexOf(':');
            if (colon <= 0) throw malformed();
            this.trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
          }
        }
      }
    }
    if (state !== 'done') throw s3Errors.incompleteBody();
  }

  private readSizeLine(text: string): { size: number; signature: string | undefined } {
    const [sizeText = '', ...extensions] = text.split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed();
    const signature = extensions
      .find((e) => e.startsWith('chunk-signature='))
      ?.slice('chunk-signature='.length);
    return { size: parseInt(sizeText, 16), signature };
  }
}

function malformed(): AwsError {
  return s3Errors.invalidRequest('The aws-chunked body is not correctly framed.');
}
