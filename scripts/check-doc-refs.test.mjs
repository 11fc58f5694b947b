// node --test scripts/check-doc-refs.test.mjs: the reference check on a fixture repository.
// Fixture texts write `%md` for `.md`, so that this file's own citations are not checked for real.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { anchorsOf, danglingReferences, headingSlug } from './check-doc-refs.mjs';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'check-doc-refs.mjs');
const md = (text) => text.replaceAll('%md', '.md');

const FIXTURE = {
  'README%md': [
    '# Fixture',
    '[design](docs/design%md#access-rules) and [the package](pkg/) and [pkg readme](pkg/README%md)',
    '[gone](docs/gone%md)',
    '[bad anchor](docs/design%md#no-such-section)',
    '[a url](https://example.com/ELSEWHERE%md) and [same page](#fixture)',
    '```',
    '[in a code block](nowhere%md)',
    '```',
  ].join('\n'),
  'docs/design%md': '# Design\n\n## Access rules\n\ntext\n\n## Access rules\n',
  'pkg/README%md': '# pkg\n\nSee [the design](../docs/design%md) and the root README%md.\n',
  'pkg/src/index.ts': [
    '// The rules of docs/design%md#access-rules and of docs/design%md#access-rules-1.',
    '// Package notes: README%md (this package has one, so does the root).',
    '// Cited but never written: RULES%md, docs/missing%md#x.',
    "// A web page is not checked: https://example.com/docs/OTHER%md, nor is 'README%mdx'.",
  ].join('\n'),
};

let root;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'check-doc-refs-'));
  for (const [name, text] of Object.entries(FIXTURE)) {
    const path = join(root, md(name));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, md(text));
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

const files = () => Object.keys(FIXTURE).map(md);

test('reports each dangling file and anchor, with its line, and nothing else', () => {
  const found = danglingReferences(root, files()).map((p) => `${p.file}:${p.line} ${p.ref}`);
  assert.deepEqual(found.sort(), [
    md('README%md:3 docs/gone%md'),
    md('README%md:4 docs/design%md#no-such-section'),
    md('pkg/src/index.ts:3 RULES%md'),
    md('pkg/src/index.ts:3 docs/missing%md#x'),
  ]);
});

test('a document that exists on disk but is not tracked does not count', () => {
  const untracked = files().filter((file) => file !== md('docs/design%md'));
  const found = danglingReferences(root, untracked).map((p) => p.ref);
  assert.ok(found.includes(md('docs/design%md#access-rules')));
  assert.ok(found.includes(md('../docs/design%md')));
});

test('anchors follow GitHub: punctuation dropped, spaces to hyphens, repeats numbered', () => {
  assert.equal(headingSlug('Version 2 (planned, not enforced)'), 'version-2-planned-not-enforced');
  assert.equal(headingSlug('The `admins` group & role trust'), 'the-admins-group--role-trust');
  assert.deepEqual([...anchorsOf('# A\n## B b\n## B b\n```\n# not a heading\n```\n')], ['a', 'b-b', 'b-b-1']);
});

test('the command fails on a git repository with a dangling reference, and passes once it is fixed', () => {
  execFileSync('git', ['init', '-q', root]);
  execFileSync('git', ['-C', root, 'add', '.']);
  const failing = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  assert.equal(failing.status, 1);
  assert.match(failing.stderr, new RegExp(md('pkg/src/index\\.ts:3 {2}RULES%md')));

  writeFileSync(join(root, md('README%md')), '# Fixture\n');
  writeFileSync(join(root, 'pkg/src/index.ts'), md('// docs/design%md#access-rules\n'));
  const passing = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  assert.equal(passing.status, 0, passing.stderr);
});
