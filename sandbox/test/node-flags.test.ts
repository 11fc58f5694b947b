/**
 * The sandbox's node flags are part of what `pnpm bench` measures (its peak RSS target depends on
 * the young generation's size), so every script that starts the CLI must pass the same ones.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliNodeFlags } from '../bench/children';

const root = join(__dirname, '..', '..');

function nodeFlagsOf(packageJson: string, script: string): string[] {
  const scripts = (
    JSON.parse(readFileSync(join(root, packageJson), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const words = scripts[script]!.split(/\s+/);
  expect(words[0]).toBe('node');
  return words.slice(1, words.indexOf('--require'));
}

test('the benchmark measures the sandbox with small semi-spaces (young-generation garbage dies sooner)', () => {
  expect(cliNodeFlags()).toContain('--max-semi-space-size=4');
});

test.each([
  ['package.json', 'sandbox'],
  ['sandbox/package.json', 'start'],
])('%s "%s" starts the CLI with the flags the benchmark measures', (packageJson, script) => {
  expect(nodeFlagsOf(packageJson, script)).toEqual(cliNodeFlags());
});

test('pnpm start takes the flags from the root "sandbox" script', () => {
  expect(readFileSync(join(root, 'scripts', 'start.mjs'), 'utf8')).toMatch(
    /run\('node', \[\.\.\.sandboxNodeFlags\(\), '--require', 'tsx\/cjs', 'sandbox\/src\/cli\.ts'/,
  );
});
