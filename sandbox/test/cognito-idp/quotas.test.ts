import { idpHarness } from '../helpers/cognito-harness';

describe('request-rate quotas', () => {
  it('answers TooManyRequestsException past the category rate, and recovers as time passes', async () => {
    const h = idpHarness();
    for (let i = 0; i < 120; i++) {
      await expect(h.call('GetUser', { AccessToken: 'not-a-token' })).rejects.toMatchObject({
        code: 'NotAuthorizedException',
      });
    }
    await expect(h.call('GetUser', { AccessToken: 'not-a-token' })).rejects.toMatchObject({
      code: 'TooManyRequestsException',
      message: 'Rate exceeded',
    });
    // Other categories have their own budget.
    await expect(
      h.call('ForgotPassword', { ClientId: 'webclient0000000000000001', Username: 'x@example.com' }),
    ).resolves.toBeDefined();
    h.clock.advance(100);
    await expect(h.call('GetUser', { AccessToken: 'not-a-token' })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    await expect(h.call('GetUser', { AccessToken: 'not-a-token' })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
  });
});
