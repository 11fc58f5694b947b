/** Locating function code in a cloud assembly, and refusing asset paths that leave it. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAssets } from '../../src/deploy/assets';

let cdkOut: string;

beforeEach(async () => {
  cdkOut = await mkdtemp(join(tmpdir(), 'sandbox-assets-'));
});

afterEach(async () => {
  await rm(cdkOut, { recursive: true, force: true });
});

async function assembly(sourcePath: string): Promise<void> {
  await writeFile(
    join(cdkOut, 'manifest.json'),
    JSON.stringify({
      version: '48.0.0',
      artifacts: { 'S.assets': { type: 'cdk:asset-manifest', properties: { file: 'S.assets.json' } } },
    }),
  );
  await writeFile(
    join(cdkOut, 'S.assets.json'),
    JSON.stringify({
      version: '48.0.0',
      files: {
        abc: {
          source: { path: sourcePath, packaging: 'zip' },
          destinations: { current: { bucketName: 'b', objectKey: 'abc.zip' } },
        },
      },
    }),
  );
}

test('the asset manifest maps the object key to its folder; metadata names the folder directly', async () => {
  await assembly('asset.abc');
  await mkdir(join(cdkOut, 'asset.abc'));
  const assets = await readAssets(cdkOut);
  expect(assets.byObjectKey('abc.zip')).toEqual({
    path: join(cdkOut, 'asset.abc'),
    hash: 'abc',
    packaging: 'zip',
  });
  expect(assets.byMetadataPath('asset.abc')).toEqual({
    path: join(cdkOut, 'asset.abc'),
    hash: 'abc',
    packaging: 'zip',
  });
  expect(assets.byObjectKey('other.zip')).toBeUndefined();
  expect(assets.byMetadataPath('asset.missing')).toBeUndefined();
});

test.each(['../outside', '/etc', 'asset.abc/../../outside', '.'])(
  'an asset path that leaves the cloud assembly (%s) is refused',
  async (path) => {
    await assembly(path);
    await expect(readAssets(cdkOut)).rejects.toThrow(/outside the cloud assembly/);
    await assembly('asset.abc');
    const assets = await readAssets(cdkOut);
    expect(() => assets.byMetadataPath(path)).toThrow(/outside the cloud assembly/);
  },
);
