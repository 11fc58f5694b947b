/**
 * A user pool that sends its mail through SES (the backend's `emailSender` setting) still deploys,
 * and the sandbox's Cognito keeps delivering every code to its local mailbox.
 */
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployCloudAssembly } from '../../src/deploy';
import type { DeployedModel } from '../../src/deploy/model';
import { cachedSynth } from '../../src/synth';
import { idpHarness } from '../helpers/cognito-harness';
import { STRONG_PASSWORD } from '../helpers/cognito-model';

const SENDER = { fromAddress: 'noreply@example.com', sesIdentity: 'example.com', sesRegion: 'eu-west-1' };

let cdkOutDir: string;
let model: DeployedModel;

beforeAll(async () => {
  cdkOutDir = await cachedSynth('sandbox-test-cdk-out-ses', { emailSender: JSON.stringify(SENDER) });
  model = await deployCloudAssembly({ cdkOutDir, stateDir: await mkdtemp(join(tmpdir(), 'sandbox-ses-')) });
}, 300_000);

test('the synthesized user pool really sends through SES', async () => {
  const template = JSON.parse(await readFile(join(cdkOutDir, 'ImageShare-Auth.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const pool = Object.values(template.Resources).find((r) => r.Type === 'AWS::Cognito::UserPool');
  expect(pool?.Properties.EmailConfiguration).toMatchObject({
    EmailSendingAccount: 'DEVELOPER',
    From: 'noreply@example.com',
  });
});

test('the email configuration is not reported as unemulated: the mailbox stands in for SES', () => {
  expect(model.unsupported.filter((u) => u.type.startsWith('AWS::Cognito::UserPool'))).toEqual([]);
});

test('sign-up with the deployed pool delivers the code to the sandbox mailbox', async () => {
  const harness = idpHarness({ model });
  const pool = [...model.userPools.values()][0]!;
  const clientId = [...pool.clients.keys()][0]!;
  const email = 'ses-sender@example.com';
  await harness.call('SignUp', {
    ClientId: clientId,
    Username: email,
    Password: STRONG_PASSWORD,
    UserAttributes: [{ Name: 'email', Value: email }],
  });
  await harness.call('ConfirmSignUp', {
    ClientId: clientId,
    Username: email,
    ConfirmationCode: harness.latestCode(email),
  });
  await expect(harness.signIn(email, STRONG_PASSWORD, clientId)).resolves.toHaveProperty('IdToken');
});
