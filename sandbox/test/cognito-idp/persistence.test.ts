import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock';
import { Mailbox } from '../../src/services/mailbox';
import { POOL_ID, STRONG_PASSWORD, WEB_CLIENT } from '../helpers/cognito-model';
import { idpHarness } from '../helpers/cognito-harness';

// Each sign-in runs Amplify's pure-JS SRP client math (about half a second on a busy machine).
jest.setTimeout(30_000);

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('user pool state on disk', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'sandbox-idp-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('survives a restart: users, sessions, signing key and mailbox', async () => {
    const clock = new ManualClock(new Date());
    const before = idpHarness({
      stateDir,
      clock,
      mailbox: new Mailbox(join(stateDir, 'mailbox'), undefined, clock),
    });
    const sub = await before.registerUser('jane@example.com');
    const tokens = await before.signIn('jane@example.com');
    const kid = (await before.idp.jwks(POOL_ID))?.keys[0]?.kid;

    const after = idpHarness({
      stateDir,
      clock,
      mailbox: new Mailbox(join(stateDir, 'mailbox'), undefined, clock),
    });
    expect((await after.idp.jwks(POOL_ID))?.keys[0]?.kid).toBe(kid);
    await expect(after.call('GetUser', { AccessToken: tokens.AccessToken })).resolves.toMatchObject({
      Username: sub,
    });
    await expect(
      after.call('GetTokensFromRefreshToken', { ClientId: WEB_CLIENT, RefreshToken: tokens.RefreshToken }),
    ).resolves.toHaveProperty('AuthenticationResult.IdToken');
    await expect(after.signIn('jane@example.com')).resolves.toHaveProperty('AccessToken');
    expect(after.mailbox.list('jane@example.com')).toHaveLength(1);
  });

  it('never writes the password or a refresh token to disk', async () => {
    const h = idpHarness({ stateDir });
    await h.registerUser('jane@example.com');
    const tokens = await h.signIn('jane@example.com');
    await h.call('ChangePassword', {
      AccessToken: tokens.AccessToken,
      PreviousPassword: STRONG_PASSWORD,
      ProposedPassword: 'Another-Long-Pass-42',
    });
    const files = await allFiles(stateDir);
    expect(files.some((f) => f.includes('pools'))).toBe(true);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(text).not.toContain(STRONG_PASSWORD);
      expect(text).not.toContain('Another-Long-Pass-42');
      expect(text).not.toContain(tokens.RefreshToken as string);
    }
  });
});
