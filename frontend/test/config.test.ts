/** @jest-environment node */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toResourcesConfig } from '@/lib/amplify-config';
import { formatProblem, loadConfig, loadConfigUncached, resolveOutputsFile } from '@/lib/config';
import { DEPLOY_COMMAND, SANDBOX_COMMAND } from '@/lib/setup-commands';

const example = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'outputs.json.example'), 'utf8'),
) as Record<string, Record<string, string>>;

const sandboxOutputs = {
  'ImageShare-Auth': {
    Region: 'us-east-1',
    UserPoolId: 'us-east-1_Sandbox1',
    UserPoolClientId: 'sandboxclient123',
  },
  'ImageShare-Identity': { IdentityPoolId: 'us-east-1:11111111-2222-4333-8444-555555555555' },
  'ImageShare-Storage': {
    BucketName: 'imageshare-uploads-local',
    PublicBaseUrl: 'http://127.0.0.1:4510/_cloudfront/E123EXAMPLE/',
  },
  Sandbox: { Endpoint: 'http://127.0.0.1:4510', MailboxUrl: 'http://127.0.0.1:4510/_mailbox' },
};

let root: string;
let cwd: string;

beforeEach(() => {
  // The app runs in <repo>/frontend and finds the outputs one level up.
  root = mkdtempSync(join(tmpdir(), 'frontend-config-'));
  cwd = join(root, 'frontend');
  mkdirSync(cwd);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = join(root, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('finding the outputs file', () => {
  test('prefers a real deployment over the sandbox', () => {
    write('outputs.json', example);
    write('outputs.sandbox.json', sandboxOutputs);
    expect(resolveOutputsFile({ cwd })).toBe(join(root, 'outputs.json'));
  });

  test('falls back to the sandbox file', () => {
    expect(resolveOutputsFile({ cwd })).toBe(join(root, 'outputs.sandbox.json'));
  });

  test('APP_OUTPUTS_FILE wins, relative to the working directory', () => {
    write('outputs.json', example);
    expect(resolveOutputsFile({ cwd, outputsFile: '../custom.json' })).toBe(join(root, 'custom.json'));
  });
});

describe('validation', () => {
  test('a missing file names the file and both commands', () => {
    const result = loadConfigUncached({ cwd });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.file).toBe('outputs.sandbox.json');
    const text = formatProblem(result.problem);
    expect(text).toContain(DEPLOY_COMMAND);
    expect(text).toContain(SANDBOX_COMMAND);
    expect(text).toContain('outputs.sandbox.json');
  });

  test('names every missing output key', () => {
    write('outputs.json', { 'ImageShare-Auth': example['ImageShare-Auth'] });
    const result = loadConfigUncached({ cwd });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const details = result.problem.details.join('\n');
    for (const key of ['IdentityPoolId', 'BucketName', 'PublicBaseUrl']) expect(details).toContain(key);
    expect(details).not.toContain('UserPoolClientId');
  });

  test('reports malformed values one per line', () => {
    write('outputs.json', {
      ...example,
      'ImageShare-Storage': { ...example['ImageShare-Storage'], PublicBaseUrl: 'http://cdn.example.com' },
    });
    const result = loadConfigUncached({ cwd });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.details).toEqual(
      expect.arrayContaining([expect.stringMatching(/^PublicBaseUrl "http:\/\/cdn/)]),
    );
  });

  test('shows each problem as the converter listed it, whatever the value holds', () => {
    // A value with a line break and a dash must stay one problem, not become extra bullets.
    write('outputs.json', {
      ...example,
      'ImageShare-Storage': { ...example['ImageShare-Storage'], BucketName: 'Bad\n  - all is fine' },
    });
    const result = loadConfigUncached({ cwd });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.details).toEqual([
      'The outputs file has malformed values:',
      'BucketName "Bad\n  - all is fine" is not a valid S3 bucket name',
    ]);
  });

  test('rejects a file that is not JSON', () => {
    write('outputs.json', '{ "ImageShare-Auth": ');
    const result = loadConfigUncached({ cwd });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.summary).toContain('outputs.json');
    expect(result.problem.details.join(' ')).toMatch(/not valid JSON/);
  });
});

describe('a valid deployment', () => {
  test('becomes the Amplify config in AWS mode', () => {
    write('outputs.json', example);
    const result = loadConfigUncached({ cwd });
    if (!result.ok) throw new Error(formatProblem(result.problem));
    expect(result.config).toMatchObject({
      mode: 'aws',
      source: 'outputs.json',
      region: 'eu-west-1',
      bucketName: example['ImageShare-Storage']?.BucketName,
      userPoolClientId: example['ImageShare-Auth']?.UserPoolClientId,
      publicBaseUrl: 'https://d1a2b3c4d5e6f7.cloudfront.net',
    });
    expect(result.config.amplify.sandboxEndpoint).toBeUndefined();
    const resources = toResourcesConfig(result.config.amplify);
    expect(resources.Auth?.Cognito).toMatchObject({
      userPoolId: 'eu-west-1_Ab12Cd34E',
      allowGuestAccess: true,
    });
    expect(resources.Auth?.Cognito).not.toHaveProperty('userPoolEndpoint');
    expect(resources.Storage?.S3).toMatchObject({
      bucket: example['ImageShare-Storage']?.BucketName,
      region: 'eu-west-1',
    });
    expect(resources.API?.GraphQL).toMatchObject({
      endpoint: example['ImageShare-Storage']?.GraphQlUrl,
      region: 'eu-west-1',
      defaultAuthMode: 'iam',
    });
  });

  test('the sandbox file switches on sandbox mode and its Cognito endpoints', () => {
    write('outputs.sandbox.json', sandboxOutputs);
    const result = loadConfigUncached({ cwd });
    if (!result.ok) throw new Error(formatProblem(result.problem));
    expect(result.config.mode).toBe('sandbox');
    expect(result.config.publicBaseUrl).toBe('http://127.0.0.1:4510/_cloudfront/E123EXAMPLE');
    const cognito = toResourcesConfig(result.config.amplify).Auth?.Cognito;
    expect(cognito).toMatchObject({
      userPoolEndpoint: 'http://127.0.0.1:4510',
      identityPoolEndpoint: 'http://127.0.0.1:4510',
      identityPoolId: 'us-east-1:11111111-2222-4333-8444-555555555555',
    });
  });
});

describe('loading per request', () => {
  test('a file written after the first request is used on the next one, without a restart', () => {
    expect(loadConfig({ cwd }).ok).toBe(false);
    write('outputs.sandbox.json', sandboxOutputs);
    const result = loadConfig({ cwd });
    expect(result.ok && result.config.mode).toBe('sandbox');
    expect(loadConfig({ cwd })).toBe(result);
  });

  test('an unusable file is explained in the terminal once per version of the file (the page names nothing)', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      write('outputs.sandbox.json', { 'ImageShare-Auth': {} });
      loadConfig({ cwd });
      loadConfig({ cwd });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain('outputs.sandbox.json');
    } finally {
      warn.mockRestore();
    }
  });
});
