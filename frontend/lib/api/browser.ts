// The data API in the browser, signed with the signed-in user's identity pool credentials.
// Imported only by the signed-in area, after configureAmplify (lib/amplify-browser.ts).
import { generateClient, type GraphQLQuery } from 'aws-amplify/api';
import { dataApi, type DataApi } from './operations';
import { amplifyTransport } from './transport';

let api: DataApi | undefined;

export function userApi(): DataApi {
  if (api) return api;
  const client = generateClient({ authMode: 'iam' });
  api = dataApi(
    amplifyTransport((query, variables) => client.graphql<GraphQLQuery<unknown>>({ query, variables })),
  );
  return api;
}
