/**
 * A function asset built for another platform: its node_modules hold sharp with only a foreign
 * `@img/sharp-<os>-<cpu>` binary package (a fake one here, which throws if it is ever loaded).
 * The sandbox must run it with this machine's sharp binary overlaid, from a cached copy.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../src/app';
import { MemoryLogger } from '../../src/core/logger';
import { hostSharp, taskRootFor } from '../../src/services/lambda/sharp-overlay';

const FIXTURE = join(__dirname, '..', 'fixtures', 'lambda-cdk-out');
const SHARP_ASSET = 'asset.5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c';
const HOST_BINARY = `sharp-${process.platform}-${process.arch}`;
const FOREIGN_BINARY = HOST_BINARY === 'sharp-linux-arm64' ? 'sharp-darwin-x64' : 'sharp-linux-arm64';

/** The sharp JavaScript package this repository installed, and the packages it requires. */
function sharpPackageDir(): string {
  let dir = dirname(require.resolve('sharp'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return realpathSync(dir);
}
const SHARP_VERSION = (
  JSON.parse(readFileSync(join(sharpPackageDir(), 'package.json'), 'utf8')) as { version: string }
).version;

/** An asset as a bundler targeting another platform leaves it: sharp's JS, a foreign binary only. */
async function writeForeignAsset(dir: string, foreignVersion = SHARP_VERSION): Promise<void> {
  const modules = join(dir, 'node_modules');
  const sharp = sharpPackageDir();
  await cp(sharp, join(modules, 'sharp'), { recursive: true, dereference: true });
  for (const dependency of ['detect-libc', 'semver', '@img/colour']) {
    await cp(realpathSync(join(dirname(sharp), dependency)), join(modules, dependency), {
      recursive: true,
      dereference: true,
    });
  }
  const foreign = join(modules, '@img', FOREIGN_BINARY);
  await mkdir(foreign, { recursive: true });
  await writeFile(
    join(foreign, 'package.json'),
    JSON.stringify({
      name: `@img/${FOREIGN_BINARY}`,
      version: foreignVersion,
      exports: { './sharp.node': './index.cjs', './package': './package.json' },
    }),
  );
  await writeFile(join(foreign, 'index.cjs'), "throw new Error('the foreign binary was loaded');\n");
  await writeFile(
    join(dir, 'index.js'),
    `exports.handler = async () => {
  const sharp = require('sharp');
  const png = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#ff0000' } }).png().toBuffer();
  const { width, height, format } = await sharp(png).metadata();
  const binary = Object.keys(require.cache).find((file) => file.endsWith('.node'));
  return { width, height, format, binary };
};
`,
  );
}

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sandbox-sharp-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

test('the host has a sharp binary to overlay (the sandbox depends on sharp)', async () => {
  const host = await hostSharp();
  expect(host?.version).toBe(SHARP_VERSION);
  expect(host?.packages.map((p) => p.name)).toContain(`@img/${HOST_BINARY}`);
});

describe('a function whose asset has sharp for another platform', () => {
  let sandbox: RunningSandbox;
  let cdkOut: string;
  let stateDir: string;

  beforeAll(async () => {
    cdkOut = join(work, 'cdk.out');
    stateDir = join(work, 'state');
    await cp(FIXTURE, cdkOut, { recursive: true });
    await writeForeignAsset(join(cdkOut, SHARP_ASSET));
    sandbox = await startSandbox({ port: 0, stateDir, cdkOutDir: cdkOut, logger: new MemoryLogger() });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
  });

  test('cannot load sharp as built (the control: without the overlay this test has nothing to prove)', () => {
    expect(() =>
      execFileSync(process.execPath, ['-e', "require('./index.js').handler().then(() => process.exit(0))"], {
        cwd: join(cdkOut, SHARP_ASSET),
        // Without NODE_PATH: pnpm sets one that reaches the repository's own sharp binaries.
        env: { PATH: process.env.PATH },
        stdio: 'pipe',
      }),
    ).toThrow();
  });

  test("runs with the host's binary overlaid on a cached copy, leaving the asset untouched", async () => {
    const outcome = await sandbox.functions.invoke('sharp', {}, { type: 'RequestResponse' });
    if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome.error));
    const result = JSON.parse(outcome.payload) as Record<string, string>;
    expect(result).toMatchObject({ width: 3, height: 2, format: 'png' });
    const copy = join(
      stateDir,
      'lambda',
      'assets',
      `${SHARP_ASSET.slice('asset.'.length)}-${process.platform}-${process.arch}`,
    );
    expect(result.binary!.startsWith(join(copy, 'node_modules', '@img', HOST_BINARY))).toBe(true);
    expect(await readdir(join(cdkOut, SHARP_ASSET, 'node_modules', '@img'))).toEqual(
      expect.not.arrayContaining([HOST_BINARY]),
    );
  });
});

test('an asset with another sharp version is refused with the versions named, not half-run', async () => {
  const asset = join(work, 'old-sharp');
  await writeForeignAsset(asset, '0.30.0');
  await expect(
    taskRootFor({ path: asset, hash: 'old' }, join(work, 'cache'), await hostSharp()),
  ).rejects.toThrow(`the asset has sharp 0.30.0 for ${FOREIGN_BINARY}`);
  expect(existsSync(join(work, 'cache'))).toBe(false);
});

test('an asset without sharp, or with the host binary, runs from where it is', async () => {
  const plain = join(work, 'plain');
  await mkdir(plain);
  expect(await taskRootFor({ path: plain, hash: 'plain' }, join(work, 'cache'), await hostSharp())).toBe(
    plain,
  );
});
