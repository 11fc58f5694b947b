#!/usr/bin/env node
/**
 * `pnpm sandbox` — the deployed AWS side, offline.
 *
 *   pnpm sandbox [--port 4510] [--state .sandbox] [--region us-east-1] [--no-synth]
 *   pnpm sandbox add-to-group <email> [--group admins] [--port 4510]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ADMIN_TOKEN_HEADER, adminTokenFromOutputs } from './core/admin-token';
import { DEFAULT_PORT } from './server';
import { startSandbox } from './app';
import { repoRoot } from './synth';
import { DEFAULT_REGION } from './deploy';

const USAGE = `Usage:
  pnpm sandbox [--port ${DEFAULT_PORT}] [--state .sandbox] [--region ${DEFAULT_REGION}] [--no-synth]
  pnpm sandbox add-to-group <email> [--group admins] [--port ${DEFAULT_PORT}]`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      state: { type: 'string' },
      region: { type: 'string' },
      'cdk-out': { type: 'string' },
      'no-synth': { type: 'boolean' },
      group: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = parsePort(values.port);
  const command = positionals[0] ?? 'start';

  if (command === 'add-to-group') {
    const email = positionals[1];
    if (!email) throw new UsageError("add-to-group needs the user's email.");
    return addToGroup(port ?? DEFAULT_PORT, email, values.group ?? 'admins', outputsFile());
  }
  if (command !== 'start') throw new UsageError(`Unknown command "${command}".`);

  const root = repoRoot();
  const sandbox = await startSandbox({
    port: port ?? DEFAULT_PORT,
    stateDir: resolve(values.state ?? resolve(root, '.sandbox')),
    cdkOutDir: resolve(values['cdk-out'] ?? resolve(root, 'cdk.out')),
    region: values.region ?? DEFAULT_REGION,
    synth: !values['no-synth'],
    outputsFile: outputsFile(),
  });
  const stop = async (signal: string) => {
    console.log(`\n[sandbox] ${signal}: stopping`);
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return -1; // keep running
}

function outputsFile(): string {
  return resolve(repoRoot(), 'outputs.sandbox.json');
}

/** The running sandbox's token, from the outputs file it wrote at start; undefined when there is none. */
function readAdminToken(file: string): string | undefined {
  try {
    return adminTokenFromOutputs(
      JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>,
    );
  } catch {
    return undefined;
  }
}

async function addToGroup(port: number, email: string, group: string, outputs: string): Promise<number> {
  const token = readAdminToken(outputs);
  if (token === undefined) {
    console.error(
      `${outputs} holds no sandbox admin token. Start the sandbox first with \`pnpm sandbox\` (or \`pnpm start\`).`,
    );
    return 1;
  }
  const url = `http://127.0.0.1:${port}/_sandbox/admin/add-user-to-group`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ADMIN_TOKEN_HEADER]: token },
      body: JSON.stringify({ email, group }),
    });
  } catch {
    console.error(
      `No sandbox answers on port ${port}. Start it first with \`pnpm sandbox\` (or \`pnpm start\`).`,
    );
    return 1;
  }
  const body = (await res.json()) as { message?: string };
  if (!res.ok) {
    console.error(`Could not add ${email} to ${group}: ${body.message ?? res.statusText}`);
    return 1;
  }
  console.log(`${email} is now in group "${group}". They get the group's role at their next sign-in.`);
  return 0;
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, got "${value}".`);
  return port;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (
      err instanceof UsageError ||
      (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      console.error(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`[sandbox] failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
