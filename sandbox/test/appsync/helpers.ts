/** Signed GraphQL requests to the sandbox's AppSync endpoint, as any SigV4 client sends them. */
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../src/core/sigv4';

export interface GraphQlCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface GraphQlAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ errorType?: string | null; message: string; path?: unknown; errorInfo?: unknown }>;
  };
}

/** POSTs `{query, variables}` (or a raw body) signed for service `appsync`; unsigned without credentials. */
export async function graphql(
  url: string,
  credentials: GraphQlCredentials | undefined,
  request: { query: string; variables?: Record<string, unknown>; operationName?: string } | string,
  region = 'us-east-1',
): Promise<GraphQlAnswer> {
  const body = typeof request === 'string' ? request : JSON.stringify(request);
  const target = new URL(url);
  let headers: Record<string, string> = { host: target.host, 'content-type': 'application/json' };
  if (credentials) {
    const signer = new SignatureV4({ credentials, region, service: 'appsync', sha256: Sha256 });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      headers,
      body,
    });
    headers = signed.headers as Record<string, string>;
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? {} : (JSON.parse(text) as GraphQlAnswer['body']),
  };
}
