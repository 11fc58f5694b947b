/**
 * Physical ids are random on the first deploy (like CloudFormation's) and persisted, so user pool
 * ids, identity pool ids and bucket names survive restarts, and with them users, identities and
 * objects stored under those ids.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { writeFileAtomic } from '../core/atomic-file';
import { DeployError } from './errors';

const stateSchema = z.object({
  version: z.literal(1),
  ids: z.record(z.string(), z.object({ type: z.string(), values: z.record(z.string(), z.string()) })),
});
type State = z.infer<typeof stateSchema>;

export class PhysicalIdStore {
  private changed = false;

  private constructor(
    private readonly path: string,
    private readonly state: State,
  ) {}

  static async open(stateDir: string): Promise<PhysicalIdStore> {
    const path = join(stateDir, 'deploy', 'physical-ids.json');
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === undefined) return new PhysicalIdStore(path, { version: 1, ids: {} });
    const parsed = stateSchema.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new DeployError(
        `${path} is corrupt (${parsed.error.message}); delete the state folder to start over.`,
      );
    }
    return new PhysicalIdStore(path, parsed.data);
  }

  /**
   * The value named `name` (e.g. "id", "domain") for one resource, generated on first use. A resource
   * whose type changed under the same logical id gets new values, as a replacement would.
   */
  get(stack: string, logicalId: string, type: string, name: string, generate: () => string): string {
    const key = `${stack}/${logicalId}`;
    let entry = this.state.ids[key];
    if (!entry || entry.type !== type) {
      entry = { type, values: {} };
      this.state.ids[key] = entry;
    }
    let value = entry.values[name];
    if (value === undefined) {
      value = generate();
      entry.values[name] = value;
      this.changed = true;
    }
    return value;
  }

  async save(): Promise<void> {
    if (!this.changed) return;
    await writeFileAtomic(this.path, `${JSON.stringify(this.state, null, 2)}\n`);
    this.changed = false;
  }
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';

function randomString(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** The id formats AWS uses, so that clients that parse ids (Amplify reads the region out of a pool id) accept ours. */
export const idFormats = {
  userPoolId: (region: string) => `${region}_${randomString(9, UPPER + LOWER + DIGITS)}`,
  userPoolClientId: () => randomString(26, LOWER + DIGITS),
  identityPoolId: (region: string) => `${region}:${randomUUID()}`,
  uuid: () => randomUUID(),
  roleId: () => `AROA${randomString(17, UPPER + DIGITS)}`,
  /** CloudFront distribution and origin access control ids. */
  cloudFrontId: () => `E${randomString(13, UPPER + DIGITS)}`,
  cloudFrontDomain: () => `d${randomString(13, LOWER + DIGITS)}.cloudfront.net`,
  appSyncApiId: () => randomString(26, LOWER + DIGITS),
  /** CloudFormation names an unnamed secret `<logicalId>-<12 characters>`. */
  secretName: (logicalId: string) => `${logicalId}-${randomString(12, UPPER + LOWER + DIGITS)}`,
  /** Secrets Manager appends `-` and 6 random characters to a secret's name to form its ARN. */
  secretSuffix: () => randomString(6, UPPER + LOWER + DIGITS),
  /** CloudFormation's generated names: `<stack>-<logicalId>-<suffix>`, shortened to fit the limit. */
  generatedName: (stack: string, logicalId: string, maxLength: number, lowercase = false) => {
    const suffix = lowercase ? randomString(12, LOWER + DIGITS) : randomString(12, UPPER + DIGITS);
    const prefix = `${stack}-${logicalId}`.slice(0, maxLength - suffix.length - 1);
    const name = `${prefix}-${suffix}`;
    return lowercase ? name.toLowerCase() : name;
  },
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
