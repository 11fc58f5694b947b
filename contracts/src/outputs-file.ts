// Reading an outputs file from disk: Node only, so it stays out of ./outputs, which the
// browser bundle imports.
import { readFileSync } from 'node:fs';
import { type CdkOutputs, DEPLOY_COMMAND, OutputsError, parseCdkOutputs } from './outputs';

/** Reads and shape-checks an outputs file. */
export function readCdkOutputs(path: string): CdkOutputs {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OutputsError(
        `Outputs file ${path} not found. Deploy with \`${DEPLOY_COMMAND}\` (or start the sandbox) to create it.`,
      );
    }
    throw new OutputsError(`Cannot read outputs file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OutputsError(`Outputs file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseCdkOutputs(json, path);
}
