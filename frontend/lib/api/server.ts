// The data API from the Next.js server, with the identity pool's guest credentials: what the
// guests' pages show. Built on the one server runner (docs/conventions.md#frontend, rule 10).
import { generateServerClientUsingReqRes } from '@aws-amplify/adapter-nextjs/api';
import type { GraphQLQuery } from 'aws-amplify/api';
import { toResourcesConfig } from '../amplify-config';
import { serverRunner } from '../amplify-server';
import type { AppConfig } from '../config';
import { ApiError, dataApi, type DataApi } from './operations';
import { amplifyTransport } from './transport';

/** Said when the outputs file names no data API; the pages show it like any other setup problem. */
export const NO_DATA_API =
  'The outputs file names no GraphQlUrl, so there is no data API to read images from. Deploy the current stacks (they output it), or use a sandbox that emulates AppSync.';

let current: { key: string; api: DataApi } | undefined;

/** Fields guests may call; the identity pool's unauthenticated role is what AppSync sees. */
export function guestApi(config: AppConfig): Pick<DataApi, 'publicImages' | 'publicImage'> {
  const key = JSON.stringify(config.amplify);
  if (current?.key === key) return current.api;
  const resources = toResourcesConfig(config.amplify);
  if (!resources.API?.GraphQL?.endpoint) throw new ApiError('NotConfigured', NO_DATA_API);
  const client = generateServerClientUsingReqRes({ config: resources, authMode: 'iam' });
  const run = serverRunner(config);
  const api = dataApi(
    amplifyTransport((query, variables) =>
      run({
        // No request context: no user tokens, so the runner signs with guest credentials.
        nextServerContext: null,
        operation: (context) =>
          client.graphql<GraphQLQuery<unknown>>(context, { query, variables, authMode: 'iam' }),
      }),
    ),
  );
  current = { key, api };
  return api;
}
