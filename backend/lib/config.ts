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
}

export type Stage = 'dev' | 'prod';

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
  const { appName, stage, allowedOrigins, domainName, certificateArn } = parsed.data;
  return {
    appName,
    stage,
    allowedOrigins: [...new Set(allowedOrigins)],
    ...(domainName !== undefined && certificateArn !== undefined
      ? { customDomain: { domainName, certificateArn } }
      : {}),
  };
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
