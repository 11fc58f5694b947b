import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type AppConfig, loadAppConfig } from '../../lib/config';
import { addImageShareStacks, type ImageShareStacks } from '../../lib/image-share-app';

const outdirs: string[] = [];

/** The context of the root cdk.json: its feature flags shape the templates, so tests use them too. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/** A prod stage as it should be deployed: https origins and mail sent through SES. */
export const PROD_CONTEXT = {
  stage: 'prod',
  allowedOrigins: ['https://app.example.com'],
  emailSender: { fromAddress: 'noreply@example.com', sesIdentity: 'example.com', sesRegion: 'eu-west-1' },
} as const;

export interface TestApp extends ImageShareStacks {
  readonly app: App;
  readonly config: AppConfig;
  readonly outdir: string;
}

/**
 * The whole app as bin/app.ts builds it, with `overrides` on top of cdk.json's context.
 * Its cloud assembly goes to a temp folder that test/support/cleanup.ts removes, so
 * Template.fromStack leaves no `cdk.out*` folders behind.
 */
export function createTestApp(overrides: Record<string, unknown> = {}): TestApp {
  const outdir = mkdtempSync(join(tmpdir(), 'imageshare-test-'));
  outdirs.push(outdir);
  // No test reads a function's bundle: skipping esbuild and the sharp install keeps tests fast.
  const context = { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...overrides };
  const app = new App({ outdir, context });
  const config = loadAppConfig(context);
  return { app, config, outdir, ...addImageShareStacks(app, config) };
}

export interface Templates {
  readonly auth: Template;
  readonly identity: Template;
  readonly storage: Template;
}

/** Synthesizes the app once (Template.fromStack would synthesize it again for every stack). */
export function templatesOf(testApp: TestApp): Templates {
  const assembly = testApp.app.synth();
  const template = (stackName: string) => Template.fromJSON(assembly.getStackByName(stackName).template);
  return {
    auth: template(testApp.auth.stackName),
    identity: template(testApp.identity.stackName),
    storage: template(testApp.storage.stackName),
  };
}

export function removeTestOutdirs(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
