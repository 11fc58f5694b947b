// A stand-in for the network under Amplify: answers the identity pool's guest calls and the data
// API's POSTs from a handler, records every request, and refuses anything else. Replaces
// globalThis.fetch, which is all Amplify sends through.

export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type GraphQlAnswer = { status?: number; headers?: Record<string, string>; body: unknown } | Error;

export const GUEST = {
  identityId: 'eu-west-1:11111111-2222-4333-8444-555555555555',
  accessKeyId: 'ASIAGUESTEXAMPLE',
};

export function fakeAws(
  graphqlUrl: string,
  answer: (body: { query: string; variables: unknown }) => GraphQlAnswer,
) {
  const seen: SeenRequest[] = [];
  const original = globalThis.fetch;
  const fetchMock = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === 'string' ? init.body : '';
    seen.push({ url, headers, body });
    const json = (status: number, value: unknown, extra: Record<string, string> = {}) =>
      new Response(JSON.stringify(value), {
        status,
        headers: { 'content-type': 'application/json', ...extra },
      });
    const target = headers['x-amz-target'];
    if (target === 'AWSCognitoIdentityService.GetId') return json(200, { IdentityId: GUEST.identityId });
    if (target === 'AWSCognitoIdentityService.GetCredentialsForIdentity') {
      return json(200, {
        IdentityId: GUEST.identityId,
        Credentials: {
          AccessKeyId: GUEST.accessKeyId,
          SecretKey: 'guest-secret',
          SessionToken: 'guest-session',
          Expiration: Math.floor(Date.now() / 1000) + 3600,
        },
      });
    }
    if (url === graphqlUrl) {
      const result = answer(JSON.parse(body) as { query: string; variables: unknown });
      if (result instanceof Error) throw result;
      return json(result.status ?? 200, result.body, result.headers);
    }
    throw new Error(`fake AWS: unexpected request to ${url}`);
  };
  globalThis.fetch = fetchMock as typeof fetch;
  return {
    seen,
    graphqlRequests: () => seen.filter((request) => request.url === graphqlUrl),
    restore: () => {
      globalThis.fetch = original;
    },
  };
}
