/**
 * sharp ships its native binary as a per-platform package (`@img/sharp-linux-arm64`, ...), and a
 * function asset is built for Lambda's platform, usually not the developer's. When an asset holds
 * only other platforms' binaries, the function runs from a copy of the asset (cached by asset hash
 * in the state folder) with the host's `@img/sharp-*` packages, of the same version, added: the
 * sandbox's own sharp dependency has exactly those installed.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const IMG = '@img';
/** Platform binaries, not their libvips companions or helper packages such as @img/colour. */
const BINARY_PACKAGE = /^sharp-(?!libvips-)[a-z0-9]+-?[a-z0-9]*$/;

export interface HostSharp {
  readonly version: string;
  /** The host's installed `@img/*` packages sharp needs (binary and libvips), by folder. */
  readonly packages: ReadonlyArray<{ readonly name: string; readonly dir: string }>;
}

/** The sandbox's own sharp: the packages this machine's platform installed for it. */
export async function hostSharp(): Promise<HostSharp | undefined> {
  let entry: string;
  try {
    entry = require.resolve('sharp');
  } catch {
    return undefined;
  }
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    version: string;
    optionalDependencies?: Record<string, string>;
  };
  const packages: Array<{ name: string; dir: string }> = [];
  for (const name of Object.keys(manifest.optionalDependencies ?? {})) {
    if (!name.startsWith(`${IMG}/`)) continue;
    const found = findPackage(dir, name);
    if (found) packages.push({ name, dir: found });
  }
  return { version: manifest.version, packages };
}

/**
 * The folder to run a function from: the asset itself, or a copy with the host's sharp overlaid.
 * Throws when the asset's sharp is another version than the host's (the binary would not match).
 */
export async function taskRootFor(
  asset: { readonly path: string; readonly hash: string },
  cacheDir: string,
  host: HostSharp | undefined,
): Promise<string> {
  const imgDir = join(asset.path, 'node_modules', IMG);
  const bundled = existsSync(imgDir) ? (await readdir(imgDir)).filter((n) => BINARY_PACKAGE.test(n)) : [];
  if (bundled.length === 0) return asset.path;
  const hostBinaries = (host?.packages ?? []).filter((p) =>
    BINARY_PACKAGE.test(p.name.slice(IMG.length + 1)),
  );
  if (hostBinaries.some((p) => bundled.includes(p.name.slice(IMG.length + 1)))) return asset.path;
  if (!host || hostBinaries.length === 0)
    throw new Error(
      `the asset has sharp for ${bundled.join(', ')} only, and the sandbox has no sharp for this platform to add`,
    );
  const assetVersion = await packageVersion(join(imgDir, bundled[0]!));
  if (assetVersion !== host.version)
    throw new Error(
      `the asset has sharp ${assetVersion} for ${bundled.join(', ')}; the sandbox can add sharp ${host.version} for this platform only: use sharp ${host.version} in the function`,
    );

  const target = join(cacheDir, `${asset.hash}-${process.platform}-${process.arch}`);
  if (existsSync(target)) return target;
  // Built aside and renamed into place, so an interrupted copy is never taken for a finished one.
  const building = `${target}.${process.pid}.partial`;
  await rm(building, { recursive: true, force: true });
  await mkdir(dirname(target), { recursive: true });
  await cp(asset.path, building, { recursive: true, verbatimSymlinks: true });
  for (const p of host.packages) {
    await cp(p.dir, join(building, 'node_modules', p.name), { recursive: true, dereference: true });
  }
  try {
    await rename(building, target);
  } catch (err) {
    // Another sandbox finished the same copy first; theirs is as good as ours.
    await rm(building, { recursive: true, force: true });
    if (!existsSync(target)) throw err;
  }
  return target;
}

async function packageVersion(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

/**
 * Node's lookup (`<ancestor>/node_modules/<name>`) done on the file system: sharp's `exports` hide
 * `package.json` from require.resolve.
 */
function findPackage(from: string, name: string): string | undefined {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') continue;
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}
