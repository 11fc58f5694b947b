/** Drives the user pool service in-process (no HTTP) with a manual clock, for handler-level tests. */
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../src/core/clock';
import { MemoryLogger } from '../../src/core/logger';
import type { DeployedModel } from '../../src/deploy/model';
import { createCognitoIdpService, type CognitoIdpService } from '../../src/services/cognito-idp';
import { formatSrpTimestamp } from '../../src/services/cognito-idp/srp';
import { Mailbox } from '../../src/services/mailbox';
import { startSrp } from './amplify-srp';
import { POOL_ID, STRONG_PASSWORD, WEB_CLIENT, cognitoModel } from './cognito-model';

export const META = { sourceIp: '127.0.0.1', requestId: 'test-request' };

export interface IdpHarness {
  readonly clock: ManualClock;
  readonly mailbox: Mailbox;
  readonly logger: MemoryLogger;
  readonly idp: CognitoIdpService;
  readonly model: DeployedModel;
  call<T = Record<string, unknown>>(operation: string, input: unknown): Promise<T>;
  /** SignUp, read the code from the mailbox, ConfirmSignUp. Returns the user's sub. */
  registerUser(email: string, password?: string): Promise<string>;
  /** A full USER_SRP_AUTH sign-in with Amplify's client math; the timestamp follows the manual clock. */
  signIn(email: string, password?: string, clientId?: string): Promise<AuthenticationResultType>;
  latestCode(email: string): string;
}

export function idpHarness(
  options: { stateDir?: string; model?: DeployedModel; clock?: ManualClock; mailbox?: Mailbox } = {},
): IdpHarness {
  // Start at the real time so Amplify's own TIMESTAMP (from Date) agrees with the server clock.
  const clock = options.clock ?? new ManualClock(new Date());
  const mailbox = options.mailbox ?? new Mailbox(undefined, undefined, clock);
  const logger = new MemoryLogger();
  const model = options.model ?? cognitoModel();
  const idp = createCognitoIdpService({ model, stateDir: options.stateDir, clock, logger, mailbox });
  const call = <T>(operation: string, input: unknown) => idp.call(operation, input, META) as Promise<T>;
  const latestCode = (email: string) => {
    const code = mailbox.latest(email)?.code;
    if (!code) throw new Error(`no code in the mailbox for ${email}`);
    return code;
  };
  return {
    clock,
    mailbox,
    logger,
    idp,
    model,
    call,
    latestCode,
    async registerUser(email, password = STRONG_PASSWORD) {
      const { UserSub } = await call<{ UserSub: string }>('SignUp', {
        ClientId: WEB_CLIENT,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      });
      await call('ConfirmSignUp', {
        ClientId: WEB_CLIENT,
        Username: email,
        ConfirmationCode: latestCode(email),
      });
      return UserSub;
    },
    async signIn(email, password = STRONG_PASSWORD, clientId = WEB_CLIENT) {
      const poolId = [...model.userPools.values()].find((p) => p.clients.has(clientId))?.id ?? POOL_ID;
      const srp = await startSrp(poolId);
      const challenge = await call<{ ChallengeParameters: Record<string, string>; Session: string }>(
        'InitiateAuth',
        {
          AuthFlow: 'USER_SRP_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: email, SRP_A: srp.srpA },
        },
      );
      const responses = await srp.respond(
        challenge.ChallengeParameters,
        password,
        formatSrpTimestamp(clock.now()),
      );
      const result = await call<{ AuthenticationResult: AuthenticationResultType }>(
        'RespondToAuthChallenge',
        {
          ChallengeName: 'PASSWORD_VERIFIER',
          ClientId: clientId,
          Session: challenge.Session,
          ChallengeResponses: responses,
        },
      );
      return result.AuthenticationResult;
    },
  };
}
