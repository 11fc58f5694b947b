/**
 * Where a function's code is in the cloud assembly. CDK names it two ways: the resource's
 * `aws:asset:path` metadata (when the context `aws:cdk:enable-asset-metadata` is on), and always
 * the stack's asset manifest (`<stack>.assets.json`), which maps the object key the template's
 * `Code.S3Key` names to a folder of `cdk.out`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';

import { z } from 'zod';

import { manifestSchema } from './assembly';
import { DeployError } from './errors';

const ASSET_MANIFEST_ARTIFACT = 'cdk:asset-manifest';

const assetManifestSchema = z.object({
  files: z
    .record(
      z.string(),
      z.object({
        source: z.object({ path: z.string().optional(), packaging: z.string().optional() }).loose(),
        destinations: z.record(z.string(), z.object({ objectKey: z.string() }).loose()),
      }),
    )
    .default({}),
});

export interface LocalAsset {
  /** Absolute path of the asset in the cloud assembly (a folder for function code). */
  readonly path: string;
  /** The asset's content hash, as CDK computed it; names the sandbox's cached copies. */
  readonly hash: string;
  readonly packaging: 'zip' | 'file';
}

export interface AssetLocator {
  /** The asset a resource's `aws:asset:path` metadata names (relative to cdk.out). */
  byMetadataPath(assetPath: string): LocalAsset | undefined;
  /** The asset uploaded under this object key (the template's `Code.S3Key`). */
  byObjectKey(objectKey: string): LocalAsset | undefined;
}

export async function readAssets(cdkOutDir: string): Promise<AssetLocator> {
  const root = resolve(cdkOutDir);
  const manifestPath = join(root, 'manifest.json');
  const manifest = manifestSchema.safeParse(JSON.parse(await readFile(manifestPath, 'utf8')));
  if (!manifest.success)
    throw new DeployError(`${manifestPath} is not a cloud assembly manifest: ${manifest.error.message}`);

  const byKey = new Map<string, LocalAsset>();
  for (const artifact of Object.values(manifest.data.artifacts)) {
    const file = artifact.properties?.file;
    if (artifact.type !== ASSET_MANIFEST_ARTIFACT || file === undefined) continue;
    const path = inside(root, file, manifestPath);
    // A manifest listed but absent has nothing to run; functions that need it say so later.
    if (!existsSync(path)) continue;
    const parsed = assetManifestSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (!parsed.success) throw new DeployError(`${path} is not an asset manifest: ${parsed.error.message}`);
    for (const [hash, asset] of Object.entries(parsed.data.files)) {
      if (asset.source.path === undefined) continue;
      const local: LocalAsset = {
        path: inside(root, asset.source.path, path),
        hash,
        packaging: asset.source.packaging === 'file' ? 'file' : 'zip',
      };
      for (const destination of Object.values(asset.destinations)) byKey.set(destination.objectKey, local);
    }
  }

  return {
    byMetadataPath: (assetPath) => {
      const path = inside(root, assetPath, 'aws:asset:path metadata');
      if (!existsSync(path)) return undefined;
      const name = basename(path);
      return { path, hash: name.startsWith('asset.') ? name.slice('asset.'.length) : name, packaging: 'zip' };
    },
    byObjectKey: (objectKey) => byKey.get(objectKey),
  };
}

/** Asset paths come from files anyone can edit: one that climbs out of cdk.out is refused. */
function inside(root: string, path: string, where: string): string {
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw new DeployError(`${where}: asset path ${path} is outside the cloud assembly ${root}`);
  return full;
}
