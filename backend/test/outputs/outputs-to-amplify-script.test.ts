import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOutputs, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { readCdkOutputs } from '@image-share/contracts/outputs-file';

const BACKEND = join(__dirname, '..', '..');
const EXAMPLE = join(BACKEND, '..', 'outputs.json.example');

function run(args: string[]) {
  const result = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), 'scripts/outputs-to-amplify.ts', ...args],
    {
      cwd: BACKEND,
      encoding: 'utf8',
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scripts/outputs-to-amplify.ts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'amplify-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('writes amplify_outputs.json from an outputs file (accepting the -- pnpm passes)', () => {
    const out = join(dir, 'nested', 'amplify_outputs.json');
    const result = run(['--', '--in', EXAMPLE, '--out', out]);
    expect(result).toEqual({ status: 0, stdout: `Wrote ${out}\n`, stderr: '' });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(
      toAmplifyOutputs(findOutputs(readCdkOutputs(EXAMPLE))),
    );
  });

  test('a missing outputs file fails with the deploy command', () => {
    const result = run(['--in', join(dir, 'nope.json'), '--out', join(dir, 'a.json')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not found\. Deploy with `pnpm cdk deploy --all --outputs-file/);
  });

  test('a malformed value fails naming the key', () => {
    const bad = join(dir, 'bad.json');
    const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, Record<string, string>>;
    writeFileSync(
      bad,
      JSON.stringify({ ...example, 'ImageShare-Auth': { ...example['ImageShare-Auth'], Region: 'moon' } }),
    );
    const result = run(['--in', bad, '--out', join(dir, 'a.json')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Region "moon" is not an AWS region/);
  });

  test('missing arguments print the usage', () => {
    const result = run(['--in', EXAMPLE]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--out is required\nusage: outputs-to-amplify --in/);
  });

  test('an unknown option prints the usage', () => {
    const result = run(['--input', EXAMPLE]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: outputs-to-amplify/);
  });
});
