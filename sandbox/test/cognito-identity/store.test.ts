/**
 * The identity store on disk. Each guest's GetId saves a new identity; saving used to rewrite one
 * document of every identity (with fsync), so each call cost more as identities piled up. Now a
 * save appends one record to a log, and loading recovers from a write that never finished.
 */
import { appendFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileIdentityStore, type IdentityRecord } from '../../src/services/cognito-identity/store';

const POOL = 'us-east-1:00000000-0000-4000-8000-000000000001';
const PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1';

let stateDir: string;
let logPath: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-identity-store-'));
  logPath = join(stateDir, 'cognito-identity', 'identities.log');
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

function guest(n: number): IdentityRecord {
  const id = `us-east-1:${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
  return { identityId: id, identityPoolId: POOL, logins: {}, createdAt: n, lastModifiedAt: n };
}

test('a guest GetId appends its one record: the log grows by that record, whatever is already in it', async () => {
  const store = new FileIdentityStore(stateDir);
  for (let n = 0; n < 300; n += 1) await store.save(guest(n));
  const before = (await stat(logPath)).size;
  const next = guest(300);
  await store.save(next);
  expect((await stat(logPath)).size - before).toBe(`\n${JSON.stringify(next)}`.length);
  expect(await readFile(join(stateDir, 'cognito-identity', 'identities.json')).catch(() => 'none')).toBe(
    'none',
  );
});

test('a restart keeps every identity and every login link, and compacts superseded records', async () => {
  const store = new FileIdentityStore(stateDir);
  const records = Array.from({ length: 500 }, (_, n) => guest(n));
  await Promise.all(records.map((r) => store.save(r)));
  // Sign-in links guest 7 to a user: the same id saved again, with a login.
  const linked: IdentityRecord = { ...records[7]!, logins: { [PROVIDER]: 'sub-7' }, lastModifiedAt: 99 };
  await store.save(linked);

  const reopened = new FileIdentityStore(stateDir);
  for (const r of records) {
    expect(reopened.identity(r.identityId)).toEqual(r.identityId === linked.identityId ? linked : r);
  }
  expect(reopened.byLogin(POOL, PROVIDER, 'sub-7')).toEqual(linked);
  expect(reopened.byLogin(POOL, PROVIDER, 'sub-8')).toBeUndefined();
  const lines = (await readFile(logPath, 'utf8')).split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(500);

  const again = new FileIdentityStore(stateDir);
  expect(again.identity(records[499]!.identityId)).toEqual(records[499]);
});

test('a torn last write (a crash mid-save) is dropped; every other identity survives, and saving goes on', async () => {
  const store = new FileIdentityStore(stateDir);
  const records = [guest(1), guest(2), guest(3)];
  for (const r of records) await store.save(r);
  const torn = `\n${JSON.stringify(guest(4))}`;
  await appendFile(logPath, torn.slice(0, torn.length - 9));

  const reopened = new FileIdentityStore(stateDir);
  for (const r of records) expect(reopened.identity(r.identityId)).toEqual(r);
  expect(reopened.identity(guest(4).identityId)).toBeUndefined();
  await reopened.save(guest(5));
  const third = new FileIdentityStore(stateDir);
  for (const r of [...records, guest(5)]) expect(third.identity(r.identityId)).toEqual(r);
});

test('a save after a write that failed half-way (the process lived on) is not lost with it', async () => {
  const store = new FileIdentityStore(stateDir);
  await store.save(guest(1));
  const half = `\n${JSON.stringify(guest(2))}`;
  await appendFile(logPath, half.slice(0, 20));
  await store.save(guest(3));

  const reopened = new FileIdentityStore(stateDir);
  expect(reopened.identity(guest(1).identityId)).toEqual(guest(1));
  expect(reopened.identity(guest(3).identityId)).toEqual(guest(3));
});

test('identities.json from earlier versions is folded into the log at the first start', async () => {
  await mkdir(join(stateDir, 'cognito-identity'), { recursive: true });
  const old = { identities: { [guest(1).identityId]: guest(1), [guest(2).identityId]: guest(2) } };
  await writeFile(join(stateDir, 'cognito-identity', 'identities.json'), JSON.stringify(old));

  const store = new FileIdentityStore(stateDir);
  expect(store.identity(guest(2).identityId)).toEqual(guest(2));
  await store.save(guest(3));
  const reopened = new FileIdentityStore(stateDir);
  for (const n of [1, 2, 3]) expect(reopened.identity(guest(n).identityId)).toEqual(guest(n));
  await expect(stat(join(stateDir, 'cognito-identity', 'identities.json'))).rejects.toMatchObject({
    code: 'ENOENT',
  });
});
