#!/usr/bin/env node
// The only place that reads configuration: CDK context (cdk.json, -c key=value) -> AppConfig.
import { App } from 'aws-cdk-lib';
import { type AppConfig, loadAppConfig } from '../lib/config';
import { addImageShareStacks } from '../lib/image-share-app';

const CONTEXT_KEYS = [
  'appName',
  'stage',
  'allowedOrigins',
  'domainName',
  'certificateArn',
  'emailSender',
] as const;

function readConfig(app: App): AppConfig {
  const context = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)]));
  try {
    return loadAppConfig(context);
  } catch (error) {
    // A clear list of what to fix beats a stack trace for a configuration mistake.
    console.error((error as Error).message);
    process.exit(1);
  }
}

const app = new App();
addImageShareStacks(app, readConfig(app));
app.synth();
