#!/usr/bin/env node
// Gzipped JavaScript per route, read from the production build (`pnpm --filter frontend build`).
// Next 16 no longer prints "First Load JS", so this adds up the script files a route's HTML
// references. Chunks loaded later through import() are not counted: nobody downloads them until
// they are used.
//  - App Router routes: the root main files plus the client chunks of every layout, page and
//    boundary on the route (entryJSFiles of the route's client reference manifest).
//  - Pages Router routes (the guests' pages): the HTML `next start` serves for them, because a
//    page can opt out of scripts altogether (`unstable_runtimeJS: false`), and only the server
//    applies that setting. The server runs on loopback with no outputs file, so it reaches no
//    AWS or sandbox service; the pages then show their setup message, with the same scripts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
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

/** A concrete URL for a route pattern: `/p/[...key]` -> `/p/bundle-report/example.png`. */
function sampleUrl(route) {
  return route.replace(/\[\.\.\.[^\]]+\]/g, 'bundle-report/example.png').replace(/\[[^\]]+\]/g, 'example');
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts `next start` on loopback, hands its base URL to `use`, and always stops it. */
async function withServer(use) {
  const port = await freePort();
  const server = spawn(
    join(import.meta.dirname, '..', 'node_modules', '.bin', 'next'),
    ['start', '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: join(import.meta.dirname, '..'),
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        APP_OUTPUTS_FILE: join(tmpdir(), `bundle-report-no-outputs-${process.pid}.json`),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );
  let stderr = '';
  server.stderr.on('data', (chunk) => (stderr += chunk));
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`next start exited (${server.exitCode}): ${stderr}`);
      try {
        await fetch(`${base}/_next/static/not-there.js`);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s: ${stderr}`);
        await new Promise((wait) => setTimeout(wait, 200));
      }
    }
    return await use(base);
  } finally {
    process.kill(-server.pid, 'SIGTERM');
  }
}

function buildFile(url) {
  const path = new URL(url, 'http://host').pathname;
  if (!path.startsWith('/_next/')) throw new Error(`a page loads a script from outside the build: ${url}`);
  return path.slice('/_next/'.length);
}

/**
 * What JavaScript an HTML page makes the browser download: script files and script preloads
 * (`nomodule` polyfills are skipped by current browsers), and the bytes of inline scripts.
 */
function pageScripts(html) {
  const files = new Set();
  let inlineBytes = 0;
  for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\snomodule\b/i.test(attributes)) continue;
    const src = /\ssrc="([^"]+)"/i.exec(attributes)?.[1];
    if (src) files.add(buildFile(src));
    else if (!/\stype="application\/(ld\+)?json"/i.test(attributes)) inlineBytes += gzipSync(body).length;
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const preload =
      /\srel="modulepreload"/i.test(tag) || (/\srel="preload"/i.test(tag) && /\sas="script"/i.test(tag));
    const href = /\shref="([^"]+)"/i.exec(tag)?.[1];
    if (preload && href) files.add(buildFile(href));
  }
  return { files: [...files], inlineBytes };
}

/**
 * The sample page as the guests' route renders it with no outputs file: its setup message, with a
 * 503. Anything else (an error page, a redirect, another server on the port) would make the
 * script count meaningless, so it stops the report.
 */
async function fetchSetupPage(url) {
  const response = await fetch(url, { redirect: 'manual' });
  const html = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 503 || !type.startsWith('text/html') || !html.includes('id="setup-title"')) {
    throw new Error(
      `${url} answered ${response.status} (${type || 'no content type'}) without the setup message; ` +
        'the report cannot tell what this route ships.',
    );
  }
  return html;
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

const SPECIAL_PAGES = new Set(['/_app', '/_document', '/_error', '/404', '/500']);
const pagesRoutes = existsSync(join(dist, 'server', 'pages-manifest.json'))
  ? Object.keys(readJson('server/pages-manifest.json')).filter((route) => !SPECIAL_PAGES.has(route))
  : [];
if (pagesRoutes.length > 0) {
  const served = await withServer(async (base) => {
    const result = [];
    for (const route of pagesRoutes) {
      result.push({ route, ...pageScripts(await fetchSetupPage(`${base}${sampleUrl(route)}`)) });
    }
    return result;
  });
  for (const { route, files, inlineBytes } of served) {
    const sizes = files.map(gzipped);
    rows.push({
      route,
      files: files.length,
      kb: (sizes.reduce((sum, size) => sum + size.gzip, 0) + inlineBytes) / 1000,
      amplify: sizes.some((size) => size.amplify),
    });
  }
}
rows.sort((a, b) => a.route.localeCompare(b.route));
const unmeasured = GUEST_ROUTES.filter((route) => !rows.some((row) => row.route === route));
if (unmeasured.length > 0) {
  console.error(`The build has no ${unmeasured.join(', ')}: the guest routes moved; update GUEST_ROUTES.`);
  process.exit(1);
}

const width = Math.max(...rows.map((row) => row.route.length), 5);
console.log(`${'route'.padEnd(width)}  scripts  gzipped JS   Amplify   budget`);
// A guest route over the target, or shipping Amplify at all, fails the report.
let failed = false;
for (const row of rows) {
  const guest = GUEST_ROUTES.includes(row.route);
  let verdict = 'signed-in route, not budgeted';
  if (guest) {
    const withinBudget = row.kb <= BUDGET_KB;
    failed ||= row.amplify || !withinBudget;
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
    `Guest gallery: ${home.kb.toFixed(1)} kB, target ${BUDGET_KB} kB. ` +
      `Signed-in /me: ${me.kb.toFixed(1)} kB (${(me.kb - floorKb).toFixed(1)} kB above the App Router floor, Amplify UI included).`,
  );
}
process.exit(failed ? 1 : 0);
