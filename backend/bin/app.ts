#!/usr/bin/env node
// The only place that reads configuration: CDK context (cdk.json, -c key=value) -> AppConfig.
import { App } from 'aws-cdk-lib';
import { loadAppConfig } from '../lib/config';
import { addImageShareStacks } from '../lib/image-share-app';

const app = new App();
const context = Object.fromEntries(
  ['appName', 'stage', 'allowedOrigins', 'domainName', 'certificateArn'].map((key) => [
    key,
    app.node.tryGetContext(key),
  ]),
);
let config;
try {
  config = loadAppConfig(context);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
addImageShareStacks(app, config);
app.synth();
