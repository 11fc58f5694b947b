// The outputs contract: the fixed output keys the stacks declare, and the converter from the
// outputs file that `cdk deploy --outputs-file` (or the sandbox) writes to the Amplify Gen 2
// `amplify_outputs.json` shape. No file system here, so the browser bundle can import it;
// reading the file is ./outputs-file.
import { z } from 'zod';
import { ADMINS_GROUP, MFA, PASSWORD_POLICY, SIGN_IN_ATTRIBUTE } from './auth';
import { type StorageAction, toAmplifyPaths } from './storage';

/**
 * The fixed CloudFormation output keys (docs/architecture.md#the-outputs-contract): the stacks
 * declare them, the converter finds them by key whatever the stack name prefix is.
 */
export const OUTPUT_KEYS = {
  region: 'Region',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  identityPoolId: 'IdentityPoolId',
  bucketName: 'BucketName',
  publicBaseUrl: 'PublicBaseUrl',
} as const;

/**
 * The data API's output. Apart from OUTPUT_KEYS because it is optional: the sandbox's outputs
 * file lacks it until the sandbox emulates AppSync, and version 1's pages do not need it. When
 * present, the converter writes amplify_outputs.json's `data` section from it.
 */
export const API_OUTPUT_KEYS = { graphQlUrl: 'GraphQlUrl' } as const;

/** The data API's only authorization: guests and users sign with their identity pool credentials. */
export const DATA_AUTHORIZATION_TYPE = 'AWS_IAM';

/** Keys the sandbox adds under its own `Sandbox` entry of an outputs file. */
export const SANDBOX_OUTPUT_KEYS = {
  endpoint: 'Endpoint',
  mailboxUrl: 'MailboxUrl',
} as const;

export const SANDBOX_STACK = 'Sandbox';

/** The command that writes a real deployment's outputs file (named in every setup message). */
export const DEPLOY_COMMAND = 'pnpm cdk deploy --all --outputs-file ./outputs.json';

/** The friendly bucket name Amplify Storage APIs and StorageBrowser refer to. */
export const STORAGE_BUCKET_NAME = 'uploads';

/** What `cdk deploy --outputs-file` writes: stack name -> output key -> value. */
export type CdkOutputs = Record<string, Record<string, string>>;

/** The app's outputs, found by key and validated. */
export interface AppOutputs {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly identityPoolId: string;
  readonly bucketName: string;
  /** `https://<domain>` (or a loopback http URL in the sandbox), without a trailing slash. */
  readonly publicBaseUrl: string;
  /** The data API's endpoint (https, or loopback http in the sandbox); absent when not deployed. */
  readonly graphQlUrl?: string;
  /** Present when the file was written by the sandbox. */
  readonly sandbox?: { readonly endpoint: string; readonly mailboxUrl: string };
}

/** The subset of Amplify Gen 2's `amplify_outputs.json` (schema version 1.4) this app uses. */
export interface AmplifyOutputs {
  version: '1.4';
  auth: {
    aws_region: string;
    user_pool_id: string;
    user_pool_client_id: string;
    identity_pool_id: string;
    username_attributes: [typeof SIGN_IN_ATTRIBUTE];
    standard_required_attributes: [typeof SIGN_IN_ATTRIBUTE];
    user_verification_types: [typeof SIGN_IN_ATTRIBUTE];
    unauthenticated_identities_enabled: true;
    mfa_configuration: typeof MFA.configuration;
    mfa_methods: (typeof MFA.methods)[number][];
    password_policy: {
      min_length: number;
      require_lowercase: boolean;
      require_numbers: boolean;
      require_symbols: boolean;
      require_uppercase: boolean;
    };
    groups: Record<string, { precedence: number }>[];
  };
  storage: {
    aws_region: string;
    bucket_name: string;
    buckets: {
      name: string;
      bucket_name: string;
      aws_region: string;
      paths: Record<string, Record<string, StorageAction[]>>;
    }[];
  };
  /** Only when the outputs name a GraphQlUrl. */
  data?: {
    url: string;
    aws_region: string;
    default_authorization_type: typeof DATA_AUTHORIZATION_TYPE;
    /** Additional modes beside the default: none. */
    authorization_types: [];
  };
  custom: {
    PublicBaseUrl: string;
    sandbox?: { endpoint: string; mailboxUrl: string };
  };
}

/**
 * A missing file, a missing key or malformed values. `summary` says what is wrong and what to do,
 * `problems` lists each finding on its own; the message joins both for a terminal.
 */
export class OutputsError extends Error {
  override readonly name = 'OutputsError';

  constructor(
    readonly summary: string,
    readonly problems: readonly string[] = [],
  ) {
    super([summary, ...problems.map((problem) => `  - ${problem}`)].join('\n'));
  }
}

const cdkOutputsSchema = z.record(z.string(), z.record(z.string(), z.string()));

/** Shape-checks the parsed JSON of an outputs file; `source` names the file in the error. */
export function parseCdkOutputs(json: unknown, source: string): CdkOutputs {
  const parsed = cdkOutputsSchema.safeParse(json);
  if (!parsed.success) {
    throw new OutputsError(
      `Outputs file ${source} does not have the shape \`cdk deploy --outputs-file\` writes ({ "<stack>": { "<OutputKey>": "<value>" } }).`,
    );
  }
  return parsed.data;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CLIENT_ID = /^[\w+]{1,128}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Finds the app's outputs by key in whichever stack holds them, and validates them.
 * Throws one OutputsError listing every missing key and every malformed value.
 */
export function findOutputs(cdkOutputs: CdkOutputs): AppOutputs {
  const problems: string[] = [];
  const appStacks = Object.entries(cdkOutputs).filter(([stack]) => !isSandboxStack(stack));

  const find = (key: string): string | undefined => {
    const found = appStacks.filter(([, outputs]) => outputs[key] !== undefined);
    const values = [...new Set(found.map(([, outputs]) => outputs[key] as string))];
    if (values.length > 1) {
      problems.push(`${key} has different values in ${found.map(([stack]) => stack).join(' and ')}`);
    }
    return values[0];
  };
  const values = Object.fromEntries(Object.values(OUTPUT_KEYS).map((key) => [key, find(key)]));
  const missing = Object.values(OUTPUT_KEYS).filter((key) => values[key] === undefined);
  if (missing.length > 0) {
    throw new OutputsError(
      `The outputs file is missing ${missing.join(', ')}. Deploy every stack with \`${DEPLOY_COMMAND}\` to write them.`,
      missing.map((key) => `${key} is missing`),
    );
  }
  const get = (key: string) => values[key] as string;

  const region = get(OUTPUT_KEYS.region);
  const check = (key: string, ok: boolean, expected: string) => {
    if (!ok) problems.push(`${key} "${get(key)}" is not ${expected}`);
  };
  check(OUTPUT_KEYS.region, REGION.test(region), 'an AWS region like eu-west-1');
  const userPoolId = get(OUTPUT_KEYS.userPoolId);
  check(
    OUTPUT_KEYS.userPoolId,
    new RegExp(`^${escape(region)}_[0-9A-Za-z]+$`).test(userPoolId),
    `a user pool id of ${region} (<region>_<id>)`,
  );
  check(OUTPUT_KEYS.userPoolClientId, CLIENT_ID.test(get(OUTPUT_KEYS.userPoolClientId)), 'an app client id');
  check(
    OUTPUT_KEYS.identityPoolId,
    new RegExp(`^${escape(region)}:${UUID}$`).test(get(OUTPUT_KEYS.identityPoolId)),
    `an identity pool id of ${region} (<region>:<uuid>)`,
  );
  check(OUTPUT_KEYS.bucketName, BUCKET_NAME.test(get(OUTPUT_KEYS.bucketName)), 'a valid S3 bucket name');
  const publicBaseUrl = baseUrl(get(OUTPUT_KEYS.publicBaseUrl));
  check(
    OUTPUT_KEYS.publicBaseUrl,
    publicBaseUrl !== undefined,
    'an https URL (or http://127.0.0.1 / http://localhost in the sandbox) without query or fragment',
  );

  const rawGraphQlUrl = find(API_OUTPUT_KEYS.graphQlUrl);
  const graphQlUrl = rawGraphQlUrl === undefined ? undefined : baseUrl(rawGraphQlUrl);
  if (rawGraphQlUrl !== undefined && graphQlUrl === undefined) {
    problems.push(
      `${API_OUTPUT_KEYS.graphQlUrl} "${rawGraphQlUrl}" is not an https URL (or http://127.0.0.1 / http://localhost in the sandbox) without query or fragment`,
    );
  }

  const sandbox = findSandbox(cdkOutputs, problems);
  if (problems.length > 0) {
    throw new OutputsError('The outputs file has malformed values:', problems);
  }
  return {
    region,
    userPoolId,
    userPoolClientId: get(OUTPUT_KEYS.userPoolClientId),
    identityPoolId: get(OUTPUT_KEYS.identityPoolId),
    bucketName: get(OUTPUT_KEYS.bucketName),
    publicBaseUrl: publicBaseUrl as string,
    ...(graphQlUrl ? { graphQlUrl } : {}),
    ...(sandbox ? { sandbox } : {}),
  };
}

function findSandbox(cdkOutputs: CdkOutputs, problems: string[]): AppOutputs['sandbox'] {
  const entry = Object.entries(cdkOutputs).find(([stack]) => isSandboxStack(stack));
  if (!entry) return undefined;
  const [stack, outputs] = entry;
  const urls = Object.values(SANDBOX_OUTPUT_KEYS).map((key) => {
    const value = outputs[key];
    if (value === undefined) {
      problems.push(`${stack}.${key} is missing (the sandbox writes it next to the app's outputs)`);
      return undefined;
    }
    const url = baseUrl(value);
    if (url === undefined) problems.push(`${stack}.${key} "${value}" is not an http(s) URL`);
    return url;
  });
  const [endpoint, mailboxUrl] = urls;
  return endpoint !== undefined && mailboxUrl !== undefined ? { endpoint, mailboxUrl } : undefined;
}

function isSandboxStack(stack: string): boolean {
  return stack === SANDBOX_STACK || stack.endsWith(`-${SANDBOX_STACK}`);
}

/** An https URL, or http on loopback, with its trailing slash removed; undefined when neither. */
function baseUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const secure = url.protocol === 'https:';
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if ((!secure && !loopback) || url.search !== '' || url.hash !== '' || url.username !== '') return undefined;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The Amplify Gen 2 config for these outputs; storage paths come from the access rules. */
export function toAmplifyOutputs(outputs: AppOutputs): AmplifyOutputs {
  return {
    version: '1.4',
    auth: {
      aws_region: outputs.region,
      user_pool_id: outputs.userPoolId,
      user_pool_client_id: outputs.userPoolClientId,
      identity_pool_id: outputs.identityPoolId,
      username_attributes: [SIGN_IN_ATTRIBUTE],
      standard_required_attributes: [SIGN_IN_ATTRIBUTE],
      user_verification_types: [SIGN_IN_ATTRIBUTE],
      unauthenticated_identities_enabled: true,
      mfa_configuration: MFA.configuration,
      mfa_methods: [...MFA.methods],
      password_policy: {
        min_length: PASSWORD_POLICY.minLength,
        require_lowercase: PASSWORD_POLICY.requireLowercase,
        require_numbers: PASSWORD_POLICY.requireDigits,
        require_symbols: PASSWORD_POLICY.requireSymbols,
        require_uppercase: PASSWORD_POLICY.requireUppercase,
      },
      groups: [{ [ADMINS_GROUP.name]: { precedence: ADMINS_GROUP.precedence } }],
    },
    storage: {
      aws_region: outputs.region,
      bucket_name: outputs.bucketName,
      buckets: [
        {
          name: STORAGE_BUCKET_NAME,
          bucket_name: outputs.bucketName,
          aws_region: outputs.region,
          paths: toAmplifyPaths(),
        },
      ],
    },
    ...(outputs.graphQlUrl
      ? {
          data: {
            url: outputs.graphQlUrl,
            aws_region: outputs.region,
            default_authorization_type: DATA_AUTHORIZATION_TYPE,
            authorization_types: [],
          },
        }
      : {}),
    custom: {
      PublicBaseUrl: outputs.publicBaseUrl,
      ...(outputs.sandbox ? { sandbox: { ...outputs.sandbox } } : {}),
    },
  };
}
