#!/usr/bin/env node
// `pnpm start`: the whole product on this machine, no AWS account needed.
// Starts the sandbox (which synthesizes and "deploys" the CDK app locally and writes
// outputs.sandbox.json), waits until it answers, then runs the web app against it.
//   pnpm start            sandbox + Next.js dev server on http://localhost:3000
//   pnpm start --prod     sandbox + a production build of the web app
//   pnpm start --sandbox-only
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const prod = args.includes('--prod');
const sandboxOnly = args.includes('--sandbox-only');
const port = Number(process.env.SANDBOX_PORT ?? 4510);
const webPort = Number(process.env.PORT ?? 3000);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CDK_DISABLE_CLI_TELEMETRY: '1' };
const children = [];

/** The node flags of `pnpm sandbox` (package.json), so that both start the sandbox alike. */
function sandboxNodeFlags() {
  const script = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).scripts.sandbox;
  const words = script.split(/\s+/);
  return words.slice(1, words.indexOf('--require'));
}

function run(cmd, cmdArgs, opts = {}) {
  const child = spawn(cmd, cmdArgs, { cwd: root, env, stdio: 'inherit', ...opts });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${cmdArgs.join(' ')} exited (${signal ?? code}); stopping everything.`);
      stop(code ?? 1);
    }
  });
  return child;
}

let stopping = false;
function stop(code) {
  stopping = true;
  process.exitCode = code;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// The sandbox writes its outputs file (with this start's admin token, which every /_sandbox/
// request needs) once it listens; until then the file is missing or holds a previous start's token.
function adminToken() {
  try {
    const outputs = JSON.parse(readFileSync(resolve(root, 'outputs.sandbox.json'), 'utf8'));
    return Object.values(outputs).find((entry) => entry.AdminToken)?.AdminToken;
  } catch {
    return undefined;
  }
}

async function waitForSandbox() {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const token = adminToken();
      const res = await fetch(`http://127.0.0.1:${port}/_sandbox/health`, {
        headers: token ? { 'x-sandbox-admin-token': token } : {},
      });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the sandbox did not answer on port ${port} within 120 s`);
}

// Prints the URL only once the server process is started; a failed build stops everything instead.
function startWebApp() {
  const webEnv = { ...env, APP_OUTPUTS_FILE: resolve(root, 'outputs.sandbox.json'), PORT: String(webPort) };
  if (prod) {
    const build = spawnSync('pnpm', ['--filter', 'frontend', 'build'], {
      cwd: root,
      env: webEnv,
      stdio: 'inherit',
    });
    if (build.status !== 0) {
      stop(build.status ?? 1);
      return;
    }
  }
  // Loopback only, like the sandbox: `localhost` is also the origin the bucket's CORS allows.
  const server = prod ? 'start' : 'dev';
  run('pnpm', ['--filter', 'frontend', 'exec', 'next', server, '-H', 'localhost', '-p', String(webPort)], {
    env: webEnv,
  });
  console.log(`[start] web app: http://localhost:${webPort}`);
}

const started = Date.now();
run('node', [...sandboxNodeFlags(), '--require', 'tsx/cjs', 'sandbox/src/cli.ts', '--port', String(port)]);
try {
  await waitForSandbox();
} catch (error) {
  // Without this the rejection would end this process and leave the sandbox running.
  console.error(`[start] ${error.message}; stopping everything.`);
  stop(1);
}
if (!stopping) {
  console.log(`[start] sandbox up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!sandboxOnly) startWebApp();
}
