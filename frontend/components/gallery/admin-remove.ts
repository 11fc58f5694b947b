// Loaded only when an admin removes an image (see admin-tools.tsx).
import { remove } from 'aws-amplify/storage';
import type { AmplifySetup } from '@/lib/amplify-config';
import { configureAmplify } from '@/lib/amplify-browser';
import { ensureSandboxWorker } from '@/lib/sandbox-worker';

export async function removePublicImage(setup: AmplifySetup, path: string): Promise<void> {
  if (setup.sandboxEndpoint && (await ensureSandboxWorker(setup.sandboxEndpoint)) === 'reloading') {
    // The page is reloading under the worker; the admin clicks again once it is back.
    return new Promise(() => undefined);
  }
  configureAmplify(setup);
  await remove({ path });
}
