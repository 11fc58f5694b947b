import { join } from 'node:path';
import { cdkAppSources } from '../../src/synth';

const ROOT = join(__dirname, '..', '..', '..');

// A cached cloud assembly is reused while these files are unchanged: a file left out would let
// a stale template, or a stale Lambda bundle, run in the sandbox and the browser tests.
test('the synth cache and staleness checks cover the CDK app, its contracts and the functions it bundles', async () => {
  const files = (await cdkAppSources(ROOT)).map((file) => file.slice(ROOT.length + 1));
  expect(files).toEqual(
    expect.arrayContaining([
      'cdk.json',
      'backend/bin/app.ts',
      'contracts/src/storage.ts',
      'backend/functions/pipeline/process-image.ts',
      'backend/functions/api/handler.ts',
    ]),
  );
});
