import { Match, type Template } from 'aws-cdk-lib/assertions';
import { createTestApp, templatesOf } from '../support/test-app';

describe('StorageAccessPolicy', () => {
  let storage: Template;
  beforeAll(() => {
    storage = templatesOf(createTestApp()).storage;
  });

  test.each([
    ['GuestAccess', 'UnauthenticatedRole'],
    ['SignedInAccess', 'AuthenticatedRole'],
    ['AdminAccess', 'AdminRole'],
  ])('%s is attached to the %s of the identity stack', (policy, role) => {
    const policies = storage.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ 'Fn::ImportValue': Match.stringLikeRegexp(role) }] },
    });
    // Besides its storage policy, each role holds only its data API field grants (test/api).
    expect(
      Object.keys(policies).filter((id) => !/^DataApi(Guest|Authenticated|Admin)Fields/.test(id)),
    ).toEqual([expect.stringMatching(new RegExp(`^${policy}Policy`))]);
  });

  test('the guest policy grants nothing but reading and listing public/', () => {
    storage.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^GuestAccess'),
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['UploadsBucketC4B27CC7', 'Arn'] }, '/public/*']] },
          },
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: { 'Fn::GetAtt': ['UploadsBucketC4B27CC7', 'Arn'] },
            Condition: { StringLike: { 's3:prefix': ['public/', 'public/*'] } },
          },
        ],
      },
    });
  });

  test('no policy grants a wildcard action', () => {
    for (const policy of Object.values(storage.findResources('AWS::IAM::Policy'))) {
      const actions = (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap(
        (s) => s.Action,
      );
      for (const action of actions) expect(action).not.toContain('*');
    }
  });
});
