import { z } from 'zod';

/** The settings this app reads from CDK context, validated once in bin/app.ts. */
export interface AppConfig {
  /** Prefix of every stack name: `<appName>-Auth`, `<appName>-Identity`, `<appName>-Storage`. */
  readonly appName: string;
  /** `prod` keeps data on delete, turns on deletion protection and access logs. */
  readonly stage: Stage;
  /** Browser origins allowed by the bucket's CORS rules (the web app's origins). */
  readonly allowedOrigins: readonly string[];
  /**
   * A custom domain for the CDN, with its ACM certificate (in us-east-1).
   * @default - the distribution's own `*.cloudfront.net` domain
   */
  readonly customDomain?: CustomDomain;
  /**
   * Send the user pool's mail (codes, password resets) through Amazon SES.
   * @default - Cognito's own sender, which allows only a few dozen messages a day
   */
  readonly emailSender?: EmailSender;
}

export type Stage = 'dev' | 'prod';

/** An SES sender for the user pool's mail. */
export interface EmailSender {
  /** The From address; SES must have it verified, by itself or through its domain. */
  readonly fromAddress: string;
  /** @default - the bare address */
  readonly displayName?: string;
  /** @default - replies go to `fromAddress` */
  readonly replyTo?: string;
  readonly sesIdentity: SesIdentity;
}

/** The verified SES identity that covers the From address. */
export interface SesIdentity {
  /** A domain (`example.com`) or an address (`noreply@example.com`). */
  readonly name: string;
  /** The SES region, which may differ from the user pool's. */
  readonly region: string;
  /**
   * The identity's ARN, used as written.
   * @default - built from the deploying account and partition
   */
  readonly arn?: string;
}

export interface CustomDomain {
  readonly domainName: string;
  readonly certificateArn: string;
}

// Stack names allow letters, digits and hyphens and must start with a letter; the longest
// suffix we add is "-Identity", so 100 leaves room within CloudFormation's 128.
const APP_NAME = /^[A-Za-z][A-Za-z0-9-]{0,99}$/;
const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
// CloudFront only accepts certificates from us-east-1.
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
// A plain address: SES and Cognito take no quoted local parts, comments or spaces, and CDK refuses
// non-ASCII local parts.
const EMAIL_ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?=.{1,253}$)[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$/;
const DOMAIN = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const SES_IDENTITY_ARN = /^arn:([a-z-]+):ses:([a-z0-9-]+):(\d{12}):identity\/(.+)$/;
// A control character in the display name would end up in a mail header (CR/LF injection).
const DISPLAY_NAME = /^[^\p{Cc}]{1,64}$/u;

/** The partition a region belongs to; an ARN naming another one points nowhere. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

const originSchema = z.string().superRefine((value, ctx) => {
  if (value === '*') return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a URL; write an origin like https://app.example.com`,
    });
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', message: `"${value}" must use http or https` });
  } else if (url.origin !== value) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a bare origin (scheme://host[:port], no path or trailing slash); did you mean "${url.origin}"?`,
    });
  }
});

const emailSenderSchema = z.preprocess(
  parseJsonObject,
  z
    .strictObject(
      {
        fromAddress: z
          .string({ error: 'fromAddress is required: the address mail comes from' })
          .regex(EMAIL_ADDRESS, 'fromAddress must be a plain email address like noreply@example.com'),
        sesIdentity: z.string({
          error:
            'sesIdentity is required: the verified SES domain or address (or its ARN) that covers fromAddress',
        }),
        sesRegion: z.string().regex(REGION, 'sesRegion must be an AWS region like eu-west-1').optional(),
        displayName: z
          .string()
          .regex(DISPLAY_NAME, 'displayName must be 1-64 characters without control characters')
          .optional(),
        replyTo: z
          .string()
          .regex(EMAIL_ADDRESS, 'replyTo must be a plain email address like support@example.com')
          .optional(),
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `unknown key(s) ${issue.keys.join(', ')}: emailSender takes fromAddress, sesIdentity, sesRegion, displayName, replyTo`
            : 'emailSender must be an object like {"fromAddress": "noreply@example.com", "sesIdentity": "example.com", "sesRegion": "eu-west-1"}',
      },
    )
    .transform((input, ctx): EmailSender => {
      let failed = false;
      const problem = (key: string, message: string) => {
        failed = true;
        ctx.addIssue({ code: 'custom', path: [key], message });
      };
      const fromAddress = lowerCaseDomain(input.fromAddress);
      let name = input.sesIdentity;
      let region = input.sesRegion;
      let arn: string | undefined;
      if (name.startsWith('arn:')) {
        const match = SES_IDENTITY_ARN.exec(name);
        if (!match) {
          problem(
            'sesIdentity',
            `"${name}" is not an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<domain or address>)`,
          );
          return z.NEVER;
        }
        const [, partition, arnRegion, , identity] = match as unknown as [
          string,
          string,
          string,
          string,
          string,
        ];
        if (!REGION.test(arnRegion)) {
          problem('sesIdentity', `the ARN's region "${arnRegion}" is not an AWS region`);
        } else if (partition !== partitionOf(arnRegion)) {
          problem(
            'sesIdentity',
            `the ARN is in partition "${partition}", but ${arnRegion} belongs to "${partitionOf(arnRegion)}": Cognito cannot use an identity that does not exist`,
          );
        }
        if (region !== undefined && region !== arnRegion) {
          problem(
            'sesRegion',
            `sesRegion ${region} differs from the region of the sesIdentity ARN (${arnRegion}): leave sesRegion out or make them agree`,
          );
        }
        arn = name;
        name = identity;
        region = arnRegion;
      } else if (region === undefined) {
        problem(
          'sesRegion',
          'sesRegion is required with an identity name (the stacks are environment-agnostic, so synth cannot take it from the stack); or give the identity ARN',
        );
      }
      const isAddress = name.includes('@');
      if (isAddress ? !EMAIL_ADDRESS.test(name) : !DOMAIN.test(name)) {
        problem('sesIdentity', `"${name}" is neither a domain nor an email address`);
        return z.NEVER;
      }
      name = isAddress ? lowerCaseDomain(name) : name.toLowerCase();
      const covered = isAddress ? name === fromAddress : domainOf(fromAddress) === name;
      if (!covered) {
        problem(
          'sesIdentity',
          `the SES identity ${name} does not cover fromAddress ${fromAddress}: use a verified address equal to it, or its domain`,
        );
      }
      if (failed || region === undefined) return z.NEVER;
      return {
        fromAddress,
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
        ...(input.replyTo !== undefined ? { replyTo: lowerCaseDomain(input.replyTo) } : {}),
        sesIdentity: { name, region, ...(arn !== undefined ? { arn } : {}) },
      };
    }),
);

const contextSchema = z
  .object({
    appName: z
      .string({ error: 'appName is required (cdk.json context or -c appName=...)' })
      .regex(
        APP_NAME,
        'appName must start with a letter and hold only letters, digits and hyphens (at most 100 characters), because it prefixes CloudFormation stack names',
      ),
    stage: z.enum(['dev', 'prod'], { error: 'stage must be "dev" or "prod" (-c stage=dev|prod)' }),
    allowedOrigins: z.preprocess(
      splitOrigins,
      z.array(originSchema).min(1, 'allowedOrigins must list at least one origin'),
    ),
    domainName: z
      .string()
      .regex(HOSTNAME, 'domainName must be a lower-case host name like images.example.com')
      .optional(),
    certificateArn: z
      .string()
      .regex(
        CERTIFICATE_ARN,
        'certificateArn must be an ACM certificate ARN in us-east-1 (CloudFront only uses certificates from there)',
      )
      .optional(),
    emailSender: emailSenderSchema.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.stage === 'prod') {
      if (config.allowedOrigins.includes('*')) {
        ctx.addIssue({
          code: 'custom',
          path: ['allowedOrigins'],
          message:
            'allowedOrigins must not contain "*" in prod: list the web app origins explicitly (-c allowedOrigins=https://app.example.com)',
        });
      }
      const plain = config.allowedOrigins.filter((origin) => origin.startsWith('http://'));
      if (plain.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['allowedOrigins'],
          message: `allowedOrigins in prod must be https, not ${plain.join(', ')}`,
        });
      }
    }
    if ((config.domainName === undefined) !== (config.certificateArn === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.domainName === undefined ? 'domainName' : 'certificateArn'],
        message: 'domainName and certificateArn go together: set both or neither',
      });
    }
  });

/**
 * Turns raw CDK context into an AppConfig, or throws one error naming every bad setting.
 * `allowedOrigins` may be an array (cdk.json), a JSON array string, or a comma-separated
 * string (`-c allowedOrigins=https://a.example,https://b.example`).
 */
export function loadAppConfig(context: Record<string, unknown>): AppConfig {
  const parsed = contextSchema.safeParse(context);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return `  - ${where}${issue.message}`;
    });
    throw new Error(`Invalid app configuration:\n${problems.join('\n')}`);
  }
  const { appName, stage, allowedOrigins, domainName, certificateArn, emailSender } = parsed.data;
  return {
    appName,
    stage,
    allowedOrigins: [...new Set(allowedOrigins)],
    ...(domainName !== undefined && certificateArn !== undefined
      ? { customDomain: { domainName, certificateArn } }
      : {}),
    ...(emailSender !== undefined ? { emailSender } : {}),
  };
}

/** `-c emailSender='{...}'` arrives as a string; cdk.json gives the object itself. */
function parseJsonObject(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** Domains are case-insensitive and SES compares them as written, so keep them lower-case. */
function lowerCaseDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

function splitOrigins(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      return value;
    }
  }
  return text
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}
