import { idpHarness } from '../helpers/cognito-harness';
import { WEB_CLIENT } from '../helpers/cognito-model';

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
      h.call('ForgotPassword', { ClientId: WEB_CLIENT, Username: 'x@example.com' }),
    ).resolves.toEqual({
      CodeDeliveryDetails: { Destination: 'x***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    h.clock.advance(100);
    await expect(h.call('GetUser', { AccessToken: 'not-a-token' })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    await expect(h.call('GetUser', { AccessToken: 'not-a-token' })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
  });
});
