#!/usr/bin/env node
// Fails when a tracked file cites a document that is not in the repository: a relative Markdown
// link to a missing file, or a `<name>.md` / `<path>/<name>.md` in any text (comments, tests, configs),
// optionally with an `#anchor` that must match a heading of that document. A name resolves against
// the citing file's folder, then the repository root, and must be a tracked file, so a document that
// exists only on one machine does not count. URLs are not checked.
//   node scripts/check-doc-refs.mjs [repository root]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Generated or vendored files that cite nothing of ours. */
const SKIPPED = new Set(['pnpm-lock.yaml']);

const FENCE = /^\s*(```|~~~)/;
const URL_SPAN = /[a-z][a-z0-9+.-]*:\/\/[^\s)\]'"`<>]+/gi;
const MARKDOWN_LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
// A `.md` name not glued to a longer path, word or URL; `../` prefixes allowed.
const MD_NAME = /(?<![\w./-])((?:\.{1,2}\/)*(?:[\w@-][\w.@-]*\/)*[\w-][\w.-]*\.md)(#[\w-]+)?(?![\w/-])/g;

/** The repository's tracked files, as paths relative to `root` with forward slashes. */
export function trackedFiles(root) {
  const out = execFileSync('git', ['-C', root, 'ls-files', '-z'], { encoding: 'utf8' });
  return out.split('\0').filter((file) => file !== '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
export function headingSlug(text) {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a Markdown document offers: its headings (numbered when repeated) and explicit ids. */
export function anchorsOf(markdown) {
  const anchors = new Set();
  const seen = new Map();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = headingSlug(heading[1]);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const id of line.matchAll(/\s(?:id|name)="([^"]+)"/g)) anchors.add(id[1]);
  }
  return anchors;
}

/** The references one file makes: `{ line, ref, path, anchor, relativeOnly }`. */
export function referencesIn(file, text) {
  const refs = [];
  const markdown = file.endsWith('.md');
  let inFence = false;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (markdown && FENCE.test(raw)) {
      inFence = !inFence;
      return;
    }
    if (markdown && inFence) return;
    let rest = raw;
    if (markdown) {
      rest = rest.replace(MARKDOWN_LINK, (whole, target) => {
        if (!/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//')) {
          const hash = target.indexOf('#');
          const path = safeDecode(hash === -1 ? target : target.slice(0, hash));
          const anchor = hash === -1 ? undefined : target.slice(hash + 1);
          refs.push({ line, ref: target, path, anchor, relativeOnly: true });
        }
        return ' '.repeat(whole.length);
      });
    }
    rest = rest.replace(URL_SPAN, (url) => ' '.repeat(url.length));
    for (const match of rest.matchAll(MD_NAME)) {
      const anchor = match[2]?.slice(1);
      refs.push({ line, ref: match[0], path: match[1], anchor, relativeOnly: match[1].startsWith('.') });
    }
  });
  return refs;
}

function safeDecode(text) {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}

/**
 * Every reference in `files` (paths relative to `root`) that does not resolve, as
 * `{ file, line, ref, problem }`. Only `files` count as existing; folders count when they hold one.
 */
export function danglingReferences(root, files) {
  const tracked = new Set(files);
  const folders = new Set();
  for (const file of files) {
    for (let dir = posix.dirname(file); dir !== '.'; dir = posix.dirname(dir)) folders.add(dir);
  }
  const anchorCache = new Map();
  const anchors = (file) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(read(root, file) ?? ''));
    return anchorCache.get(file);
  };

  const problems = [];
  for (const file of files) {
    if (SKIPPED.has(posix.basename(file))) continue;
    const text = read(root, file);
    if (text === undefined) continue;
    for (const ref of referencesIn(file, text)) {
      const target = resolveTarget(file, ref, tracked, folders);
      if (target === undefined) {
        problems.push({ file, line: ref.line, ref: ref.ref, problem: 'no such file in the repository' });
      } else if (ref.anchor && target.endsWith('.md') && !anchors(target).has(ref.anchor.toLowerCase())) {
        problems.push({
          file,
          line: ref.line,
          ref: ref.ref,
          problem: `${target} has no heading #${ref.anchor}`,
        });
      }
    }
  }
  return problems;
}

function resolveTarget(file, ref, tracked, folders) {
  if (ref.path === '') return file; // `#anchor` within the same document
  const fromFile = posix.normalize(posix.join(posix.dirname(file), ref.path)).replace(/\/$/, '');
  const fromRoot = posix.normalize(ref.path.replace(/^\//, '')).replace(/\/$/, '');
  const candidates = ref.path.startsWith('/')
    ? [fromRoot]
    : ref.relativeOnly
      ? [fromFile]
      : [fromFile, fromRoot];
  return candidates.find((candidate) => tracked.has(candidate) || folders.has(candidate));
}

/** Text content, or undefined for a missing or binary file. */
function read(root, file) {
  let buffer;
  try {
    buffer = readFileSync(join(root, file));
  } catch {
    return undefined;
  }
  if (buffer.subarray(0, 8000).includes(0)) return undefined;
  return buffer.toString('utf8');
}

function main() {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const files = trackedFiles(root);
  const problems = danglingReferences(root, files);
  if (problems.length === 0) {
    console.log(`check-doc-refs: every document reference in ${files.length} tracked files resolves.`);
    return;
  }
  console.error(
    `check-doc-refs: ${problems.length} reference(s) to documents that are not in the repository:`,
  );
  for (const p of problems) console.error(`  ${p.file}:${p.line}  ${p.ref}  (${p.problem})`);
  console.error('Point each one at a file under docs/ (or a README) that exists, or write that document.');
  process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
