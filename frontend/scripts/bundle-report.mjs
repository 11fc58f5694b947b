#!/usr/bin/env node
// Gzipped JavaScript per route, read from the production build (`pnpm --filter frontend build`).
// Next 16 no longer prints "First Load JS", so this adds up what a route's HTML references: the
// root main files plus the client chunks of every layout, page and boundary on the route
// (entryJSFiles of the route's client reference manifest). Chunks loaded later through
// import() are not counted: nobody downloads them until they are used.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 120;
// Guests' routes: they must stay small and must not ship Amplify.
const GUEST_ROUTES = ['/', '/p/[...key]'];
const AMPLIFY_MARKER = 'aws-amplify';

const dist = join(import.meta.dirname, '..', '.next');
if (!existsSync(join(dist, 'BUILD_ID'))) {
  console.error('No production build in frontend/.next. Run `pnpm --filter frontend build` first.');
  process.exit(1);
}

const readJson = (path) => JSON.parse(readFileSync(join(dist, path), 'utf8'));
const gzipCache = new Map();
function gzipped(file) {
  if (!gzipCache.has(file)) {
    const bytes = readFileSync(join(dist, file));
    gzipCache.set(file, {
      gzip: gzipSync(bytes, { level: 9 }).length,
      amplify: bytes.includes(AMPLIFY_MARKER),
    });
  }
  return gzipCache.get(file);
}

function clientManifest(entry) {
  // The manifest is a script that assigns to globalThis.__RSC_MANIFEST[entry].
  const sandbox = { globalThis: {} };
  sandbox.globalThis = sandbox;
  runInNewContext(
    readFileSync(join(dist, 'server', 'app', `${entry}_client-reference-manifest.js`), 'utf8'),
    sandbox,
  );
  return sandbox.__RSC_MANIFEST[`/${entry}`];
}

function routeName(entry) {
  const route = entry.replace(/\/?page$/, '');
  return route === '' ? '/' : `/${route}`;
}

const entries = Object.keys(readJson('server/app-paths-manifest.json'))
  .map((key) => key.replace(/^\//, ''))
  .filter((entry) => !entry.startsWith('_'));

let floorFiles;
const rows = entries.map((entry) => {
  // Turbopack writes a build manifest per route; webpack (`next build --webpack`) one for all.
  const perRoute = `server/app/${entry}/build-manifest.json`;
  const build = readJson(existsSync(join(dist, perRoute)) ? perRoute : 'build-manifest.json');
  const manifest = clientManifest(entry);
  // Polyfills are `nomodule` scripts: current browsers skip them.
  const files = new Set([...build.rootMainFiles, ...Object.values(manifest.entryJSFiles).flat()]);
  floorFiles ??= build.rootMainFiles;
  const sizes = [...files].map(gzipped);
  return {
    route: routeName(entry),
    files: files.size,
    kb: sizes.reduce((sum, size) => sum + size.gzip, 0) / 1000,
    amplify: sizes.some((size) => size.amplify),
  };
});
rows.sort((a, b) => a.route.localeCompare(b.route));

const width = Math.max(...rows.map((row) => row.route.length), 5);
console.log(`${'route'.padEnd(width)}  scripts  gzipped JS   Amplify   budget`);
// Shipping Amplify to guests is a defect and fails the report; being over the size target is
// reported, and fails only with --strict (the framework alone may exceed it, see below).
const strict = process.argv.includes('--strict');
let failed = false;
for (const row of rows) {
  const guest = GUEST_ROUTES.includes(row.route);
  let verdict = 'signed-in route, not budgeted';
  if (guest) {
    const withinBudget = row.kb <= BUDGET_KB;
    failed ||= row.amplify || (strict && !withinBudget);
    verdict = `${withinBudget ? 'within' : 'OVER'} the ${BUDGET_KB} kB guest target${row.amplify ? '; SHIPS AMPLIFY' : ''}`;
  }
  console.log(
    `${row.route.padEnd(width)}  ${String(row.files).padStart(7)}  ${row.kb.toFixed(1).padStart(7)} kB   ${(row.amplify ? 'yes' : 'no').padEnd(7)}   ${verdict}`,
  );
}
const floorKb = (floorFiles ?? []).reduce((sum, file) => sum + gzipped(file).gzip, 0) / 1000;
const home = rows.find((row) => row.route === '/');
const me = rows.find((row) => row.route === '/me');
console.log(
  `\nFramework floor (Next.js + React runtime every App Router page loads): ${floorKb.toFixed(1)} kB.`,
);
if (home && me) {
  console.log(
    `Guest gallery: ${home.kb.toFixed(1)} kB (${(home.kb - floorKb).toFixed(1)} kB above the floor), target ${BUDGET_KB} kB. ` +
      `Signed-in /me: ${me.kb.toFixed(1)} kB (${(me.kb - floorKb).toFixed(1)} kB above the floor, Amplify UI included).`,
  );
}
process.exit(failed ? 1 : 0);
