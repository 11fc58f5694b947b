import { createHash } from 'node:crypto';
import {
  N,
  createVerifier,
  formatSrpTimestamp,
  g,
  modPow,
  padHex,
  parseClientPublic,
  parseSrpTimestamp,
  passwordClaimSignature,
  passwordMatches,
  serverEphemeral,
  sessionKey,
} from '../../src/services/cognito-idp/srp';
import { startSrp } from '../helpers/amplify-srp';

describe('padHex', () => {
  it('pads to even length and prepends 00 when the top bit is set, like Java toByteArray', () => {
    expect(padHex(0x14n)).toBe('14');
    expect(padHex(0xecn)).toBe('00ec');
    expect(padHex(0x1n)).toBe('01');
    expect(padHex(0x7fffn)).toBe('7fff');
    expect(padHex(0x8000n)).toBe('008000');
  });
});

describe('modPow', () => {
  it('agrees with repeated multiplication on small numbers', () => {
    for (const [b, e, m] of [
      [4n, 13n, 497n],
      [2n, 0n, 7n],
      [123456789n, 65537n, 1000000007n],
    ] as const) {
      let expected = 1n;
      for (let i = 0n; i < e; i++) expected = (expected * b) % m;
      expect(modPow(b, e, m)).toBe(expected);
    }
  });

  it('satisfies Fermat on the 3072-bit group modulus (N is prime)', () => {
    expect(modPow(g, N - 1n, N)).toBe(1n);
  });
});

describe('SRP_A validation', () => {
  it('refuses A = 0 mod N, which would make the session key independent of the password', () => {
    expect(parseClientPublic('0')).toBeUndefined();
    expect(parseClientPublic(N.toString(16))).toBeUndefined();
    expect(parseClientPublic((N * 2n).toString(16))).toBeUndefined();
    expect(parseClientPublic('not hex')).toBeUndefined();
    expect(parseClientPublic('1234abcd')).toBe(0x1234abcdn);
  });
});

describe('TIMESTAMP', () => {
  it('parses what Amplify sends and round-trips the format', () => {
    const sample = new Date('2026-03-05T07:08:09Z');
    expect(formatSrpTimestamp(sample)).toBe('Thu Mar 5 07:08:09 UTC 2026');
    expect(parseSrpTimestamp('Thu Mar 5 07:08:09 UTC 2026')?.toISOString()).toBe(sample.toISOString());
  });

  it('refuses padded days, wrong weekdays, impossible dates and other shapes', () => {
    expect(parseSrpTimestamp('Thu Mar 05 07:08:09 UTC 2026')).toBeUndefined();
    expect(parseSrpTimestamp('Fri Mar 5 07:08:09 UTC 2026')).toBeUndefined();
    expect(parseSrpTimestamp('Mon Feb 30 07:08:09 UTC 2026')).toBeUndefined();
    expect(parseSrpTimestamp('2026-03-05T07:08:09Z')).toBeUndefined();
    expect(parseSrpTimestamp('Thu Mar 5 24:08:09 UTC 2026')).toBeUndefined();
  });
});

describe('server SRP against the Amplify client', () => {
  const poolId = 'us-east-1_Pool42';
  const userId = '5b1f8a8e-2f3c-4a6b-9a0e-0123456789ab';
  const password = 'Correct-Horse-9-Battery';

  async function handshake(clientPassword: string) {
    const stored = createVerifier('Pool42', userId, password);
    const client = await startSrp(poolId);
    const ephemeral = serverEphemeral(stored.verifier);
    const secretBlock = Buffer.from('opaque secret block bytes');
    const challenge = {
      SALT: stored.salt,
      SRP_B: ephemeral.B,
      SECRET_BLOCK: secretBlock.toString('base64'),
      USERNAME: userId,
      USER_ID_FOR_SRP: userId,
    };
    const response = await client.respond(challenge, clientPassword);
    const key = sessionKey(BigInt(`0x${client.srpA}`), ephemeral, stored.verifier);
    const expected = passwordClaimSignature(
      key as Buffer,
      'Pool42',
      userId,
      secretBlock,
      response.TIMESTAMP as string,
    );
    return { response, expected, stored };
  }

  it('derives the same key as the client when the password is right', async () => {
    const { response, expected } = await handshake(password);
    expect(response.PASSWORD_CLAIM_SIGNATURE).toBe(expected.toString('base64'));
    // Amplify stamps the response with the current time, to the second.
    const stamped = parseSrpTimestamp(response.TIMESTAMP as string)?.getTime() ?? 0;
    expect(Math.abs(stamped - Date.now())).toBeLessThan(60_000);
  });

  it('disagrees when the password is wrong', async () => {
    const { response, expected } = await handshake('Correct-Horse-9-Battery!');
    expect(response.PASSWORD_CLAIM_SIGNATURE).not.toBe(expected.toString('base64'));
  });

  it('stores a salt and verifier from which the password cannot be read back', () => {
    const stored = createVerifier('Pool42', userId, password);
    expect(JSON.stringify(stored)).not.toContain(password);
    expect(JSON.stringify(stored)).not.toContain(createHash('sha256').update(password).digest('hex'));
    expect(passwordMatches(stored, 'Pool42', userId, password)).toBe(true);
    expect(passwordMatches(stored, 'Pool42', userId, 'correct-horse-9-battery')).toBe(false);
    expect(passwordMatches(stored, 'OtherPool', userId, password)).toBe(false);
  });
});
