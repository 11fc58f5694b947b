#!/usr/bin/env tsx
// Usage: pnpm --filter backend amplify-config -- --in ../outputs.json --out ../frontend/amplify_outputs.json
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findOutputs, OutputsError, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { readCdkOutputs } from '@image-share/contracts/outputs-file';

const USAGE = 'usage: outputs-to-amplify --in <outputs.json> --out <amplify_outputs.json>';

function main(argv: string[]): number {
  let input: string | undefined;
  let output: string | undefined;
  try {
    // pnpm may pass the `--` separator through to the script.
    const { values } = parseArgs({
      args: argv.filter((arg) => arg !== '--'),
      options: { in: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    input = values.in;
    output = values.out;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!input || !output) {
    console.error(`${!input ? '--in' : '--out'} is required\n${USAGE}`);
    return 2;
  }

  try {
    const amplify = toAmplifyOutputs(findOutputs(readCdkOutputs(resolve(input))));
    const target = resolve(output);
    mkdirSync(dirname(target), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(amplify, null, 2)}\n`);
    renameSync(temp, target);
    console.log(`Wrote ${target}`);
    return 0;
  } catch (error) {
    if (error instanceof OutputsError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
