import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createTestApp, PROD_CONTEXT, type TestApp } from './support/test-app';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

/** Rules the design satisfies; acknowledging one would hide a regression. */
const PASS_BY_DESIGN = ['AwsSolutions-S2', 'AwsSolutions-S10', 'AwsSolutions-COG1', 'AwsSolutions-CFR7'];

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgements(testApp: TestApp): Acknowledgement[] {
  return testApp.app.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: node.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** Every finding the pack would report if nothing were acknowledged. */
function rawFindings(testApp: TestApp): { id: string; path: string }[] {
  const pack = new AwsSolutionsChecks();
  // The pack's acknowledgement check is private; turning it off shows what each acknowledgement hides.
  (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return pack
    .validateScope(testApp.app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
    );
}

const baseRule = (id: string) => id.replace(/\[.*$/, '').replace(/^AwsSolutions-/, '');

describe.each([
  [
    'dev',
    {},
    [
      'ASC3',
      'CFR1',
      'CFR2',
      'CFR3',
      'CFR4',
      'COG2',
      'COG7',
      'COG8',
      'DDB3',
      'IAM4',
      'IAM5',
      'S1',
      'SMG4',
      'SQS3',
    ],
  ],
  [
    'prod',
    PROD_CONTEXT,
    ['ASC3', 'CFR1', 'CFR2', 'CFR4', 'COG2', 'COG7', 'COG8', 'IAM4', 'IAM5', 'SMG4', 'SQS3'],
  ],
  [
    'dev with a custom domain',
    { domainName: 'images.example.com', certificateArn: CERT },
    ['ASC3', 'CFR1', 'CFR2', 'CFR3', 'COG2', 'COG7', 'COG8', 'DDB3', 'IAM4', 'IAM5', 'S1', 'SMG4', 'SQS3'],
  ],
])('cdk-nag AwsSolutions, %s', (_name, context, expectedRules) => {
  let testApp: TestApp;
  let acks: Acknowledgement[];
  let findings: { id: string; path: string }[];
  beforeAll(() => {
    testApp = createTestApp(context);
    testApp.app.synth();
    acks = acknowledgements(testApp);
    findings = rawFindings(testApp);
  });

  test('synthesis leaves no unacknowledged finding in the validation report', () => {
    const report = JSON.parse(readFileSync(join(testApp.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });

  test('every finding is acknowledged by its exact id on the resource or an ancestor', () => {
    const unacknowledged = findings.filter(
      (f) => !acks.some((a) => a.id === f.id && (f.path === a.path || f.path.startsWith(`${a.path}/`))),
    );
    expect(unacknowledged).toEqual([]);
  });

  test('every acknowledgement hides a real finding (none is stale)', () => {
    const stale = acks.filter(
      (a) => !findings.some((f) => a.id === f.id && (f.path === a.path || f.path.startsWith(`${a.path}/`))),
    );
    expect(stale).toEqual([]);
  });

  test('only the expected rules are acknowledged', () => {
    expect([...new Set(acks.map((a) => baseRule(a.id)))].sort()).toEqual(expectedRules);
  });

  test('the other IAM5 acknowledgements are the API nested types per role and the data source invoke', () => {
    const other = acks
      .filter((a) => a.id.startsWith('AwsSolutions-IAM5') && !a.id.includes('<UploadsBucket'))
      .map((a) =>
        a.id
          .replace(/<DataApi[0-9A-F]{8}\.Arn>/, '<Api>')
          .replace(/<DataApiFunction[0-9A-F]{8}\.Arn>/, '<Fn>'),
      );
    const nested = (type: string) => `AwsSolutions-IAM5[Resource::<Api>/types/${type}/fields/*]`;
    expect(other.sort()).toEqual(
      [
        ...['Image', 'ImageConnection', 'Rendition'].flatMap((type) => [
          nested(type),
          nested(type),
          nested(type),
        ]),
        nested('Profile'),
        nested('Profile'),
        'AwsSolutions-IAM5[Resource::<Fn>:*]',
      ].sort(),
    );
  });

  test("IAM4 is acknowledged only for CDK's bucket-notifications handler", () => {
    const iam4 = acks.filter((a) => a.id.startsWith('AwsSolutions-IAM4'));
    expect(iam4.map((a) => a.path)).toEqual([
      expect.stringMatching(/^ImageShare-Storage\/BucketNotificationsHandler[0-9a-f]+$/),
    ]);
  });

  test('rules that pass by design are neither found nor acknowledged', () => {
    for (const rule of PASS_BY_DESIGN) {
      expect(findings.map((f) => f.id)).not.toContain(rule);
      expect(acks.map((a) => a.id)).not.toContain(rule);
    }
  });

  test('IAM5 is acknowledged once per folder wildcard of the uploads bucket, never for an action', () => {
    const iam5 = acks.filter((a) => a.id.startsWith('AwsSolutions-IAM5[Resource::<UploadsBucket'));
    expect(
      iam5
        .map((a) => a.id.replace(/^AwsSolutions-IAM5\[Resource::<UploadsBucket[0-9A-F]{8}\.Arn>/, ''))
        .sort(),
    ).toEqual(
      [
        // guest
        '/public/*]',
        // signed-in
        '/private/<cognito-identity.amazonaws.com:sub>/*]',
        '/protected/<cognito-identity.amazonaws.com:sub>/*]',
        '/public/*]',
        '/renditions/private/<cognito-identity.amazonaws.com:sub>/*]',
        '/renditions/protected/*]',
        // admin (as signed-in)
        '/private/<cognito-identity.amazonaws.com:sub>/*]',
        '/protected/<cognito-identity.amazonaws.com:sub>/*]',
        '/public/*]',
        '/renditions/private/<cognito-identity.amazonaws.com:sub>/*]',
        '/renditions/protected/*]',
        // image pipeline: reads originals, writes renditions and published copies
        '/private/*]',
        '/protected/*]',
        '/public/*]',
        '/renditions/*]',
        // data API function: deletes originals, copies renditions, writes and deletes public copies
        '/private/*]',
        '/protected/*]',
        '/public/*]',
        '/renditions/*]',
      ].sort(),
    );
  });

  test('every acknowledgement gives a real reason', () => {
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(60);
  });
});

describe('cdk-nag wiring', () => {
  test('an unacknowledged finding fails synthesis', () => {
    const testApp = createTestApp();
    // A bucket with none of the safeguards: S1, S10 and others, none acknowledged.
    new s3.Bucket(testApp.storage, 'Unguarded');
    expect(() => testApp.app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
