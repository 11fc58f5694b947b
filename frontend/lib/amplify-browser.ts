// The browser's one Amplify configuration (docs/conventions.md#frontend, rule 10). Imported only by the
// signed-in area (app/me), never by anything a guest loads.
import { Amplify } from 'aws-amplify';
import { toResourcesConfig, type AmplifySetup } from './amplify-config';

let configuredWith: string | undefined;

export function configureAmplify(setup: AmplifySetup): void {
  const key = JSON.stringify(setup);
  if (configuredWith === key) return;
  Amplify.configure(toResourcesConfig(setup));
  configuredWith = key;
}
