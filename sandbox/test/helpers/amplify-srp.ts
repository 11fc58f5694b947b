/**
 * The client half of SRP taken from Amplify JS itself (the library the web app ships), so the
 * sandbox's server half is checked against the real client math rather than against a copy of
 * its own. Amplify does not export these helpers, so they are loaded from its package folder.
 */
import './amplify-bigint-speed';
import { dirname, join } from 'node:path';

interface AmplifyBigInteger {
  toString(radix: number): string;
}

interface AmplifySrp {
  getAuthenticationHelper(poolName: string): Promise<{
    A: AmplifyBigInteger;
    getPasswordAuthenticationKey(args: {
      username: string;
      password: string;
      serverBValue: AmplifyBigInteger;
      salt: AmplifyBigInteger;
    }): Promise<Uint8Array>;
  }>;
  getNowString(): string;
  getSignatureString(args: {
    userPoolName: string;
    username: string;
    challengeParameters: Record<string, string>;
    dateNow: string;
    hkdf: Uint8Array;
  }): string;
}

const amplifyDir = dirname(require.resolve('aws-amplify/package.json'));
const authDir = dirname(require.resolve('@aws-amplify/auth/package.json', { paths: [amplifyDir] }));
const srpDir = join(authDir, 'dist', 'cjs', 'providers', 'cognito', 'utils', 'srp');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const srp = require(srpDir) as AmplifySrp;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BigInteger } = require(join(srpDir, 'BigInteger')) as {
  BigInteger: new (value: string, radix: number) => AmplifyBigInteger & { readonly DB: number };
};

/** Bits per digit Amplify's BigInteger chose at load: 28 is its fast routine (amplify-bigint-speed.ts). */
export const amplifyDigitBits = (): number => new BigInteger('1', 16).DB;

export interface SrpClientSession {
  /** SRP_A for InitiateAuth. */
  readonly srpA: string;
  /** ChallengeResponses for RespondToAuthChallenge, from the PASSWORD_VERIFIER challenge parameters. */
  respond(
    challenge: Record<string, string>,
    password: string,
    timestamp?: string,
  ): Promise<Record<string, string>>;
}

export async function startSrp(userPoolId: string): Promise<SrpClientSession> {
  const poolName = userPoolId.split('_')[1] as string;
  const helper = await srp.getAuthenticationHelper(poolName);
  return {
    srpA: helper.A.toString(16),
    async respond(challenge, password, timestamp = srp.getNowString()) {
      const userId = challenge.USER_ID_FOR_SRP as string;
      const hkdf = await helper.getPasswordAuthenticationKey({
        username: userId,
        password,
        serverBValue: new BigInteger(challenge.SRP_B as string, 16),
        salt: new BigInteger(challenge.SALT as string, 16),
      });
      const signature = srp.getSignatureString({
        userPoolName: poolName,
        username: userId,
        challengeParameters: challenge,
        dateNow: timestamp,
        hkdf,
      });
      return {
        USERNAME: challenge.USERNAME as string,
        PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK as string,
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: signature,
      };
    },
  };
}
