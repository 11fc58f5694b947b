// The data API's wiring, and every field cell of the API matrix per role, evaluated by an IAM
// evaluator on both stages' synthesized templates.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { type ApiRole, FIELD_ACCESS, NESTED_TYPE_ACCESS } from '../../lib/api/field-access';
import { type AccessModel, accessModel, decideAppSyncField } from '../support/access-model';
import { createTestApp, PROD_CONTEXT, templatesOf } from '../support/test-app';

const ROLES: ApiRole[] = ['guest', 'authenticated', 'admin'];

/** The API matrix written out independently of lib/api/field-access.ts: the oracle it is checked against. */
const MATRIX: Record<string, readonly ApiRole[]> = {
  'Query.publicImages': ['guest', 'authenticated', 'admin'],
  'Query.publicImage': ['guest', 'authenticated', 'admin'],
  'Query.myImages': ['authenticated', 'admin'],
  'Query.sharedImages': ['authenticated', 'admin'],
  'Query.image': ['authenticated', 'admin'],
  'Query.myProfile': ['authenticated', 'admin'],
  'Mutation.updateImage': ['authenticated', 'admin'],
  'Mutation.setVisibility': ['authenticated', 'admin'],
  'Mutation.deleteImage': ['authenticated', 'admin'],
  'Mutation.updateProfile': ['authenticated', 'admin'],
  'Mutation.deleteMyData': ['authenticated', 'admin'],
  'Mutation.moderateImage': ['admin'],
  'Image.imageId': ['guest', 'authenticated', 'admin'],
  'Rendition.key': ['guest', 'authenticated', 'admin'],
  'ImageConnection.items': ['guest', 'authenticated', 'admin'],
  'Profile.displayName': ['authenticated', 'admin'],
};

test('the field table covers exactly the fields of the matrix', () => {
  expect(Object.keys(FIELD_ACCESS).sort()).toEqual(
    Object.keys(MATRIX)
      .filter((field) => /^(Query|Mutation)\./.test(field))
      .sort(),
  );
  expect(Object.keys(NESTED_TYPE_ACCESS).sort()).toEqual([
    'Image',
    'ImageConnection',
    'Profile',
    'Rendition',
  ]);
});

describe('DataApi template', () => {
  let storage: Template;
  beforeAll(() => {
    storage = templatesOf(createTestApp()).storage;
  });

  test('one GraphQL API with IAM as its default authorization and the schema file', () => {
    storage.resourceCountIs('AWS::AppSync::GraphQLApi', 1);
    storage.hasResourceProperties('AWS::AppSync::GraphQLApi', { AuthenticationType: 'AWS_IAM' });
    storage.hasResourceProperties('AWS::AppSync::GraphQLSchema', {
      Definition: Match.stringLikeRegexp('moderateImage\\(imageId: ID!, action: ModerationAction!\\)'),
    });
  });

  test('every field is a direct Lambda resolver (no mapping code) on the one api data source', () => {
    const resolvers = Object.values(storage.findResources('AWS::AppSync::Resolver'));
    expect(resolvers.map((r) => `${r.Properties.TypeName}.${r.Properties.FieldName}`).sort()).toEqual(
      Object.keys(FIELD_ACCESS).sort(),
    );
    for (const resolver of resolvers) {
      expect(resolver.Properties.RequestMappingTemplate).toBeUndefined();
      expect(resolver.Properties.ResponseMappingTemplate).toBeUndefined();
      expect(resolver.Properties.Code).toBeUndefined();
      expect(resolver.Properties.Kind ?? 'UNIT').toBe('UNIT');
    }
    storage.resourceCountIs('AWS::AppSync::DataSource', 1);
    storage.hasResourceProperties('AWS::AppSync::DataSource', { Type: 'AWS_LAMBDA' });
  });

  test('the GraphQlUrl output has its fixed key', () => {
    storage.hasOutput('GraphQlUrl', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataApi'), 'GraphQLUrl'] },
    });
  });
});

describe.each([
  ['dev', {}],
  ['prod', PROD_CONTEXT],
])('data API matrix, %s stage', (_stage, context) => {
  let model: AccessModel;
  beforeAll(() => {
    model = accessModel(createTestApp(context));
  });

  const cells = Object.entries(MATRIX).flatMap(([field, allowed]) =>
    ROLES.map((role) => [field, role, allowed.includes(role)] as const),
  );
  test.each(cells)('%s for %s -> allowed: %s', async (field, role, allowed) => {
    expect(await decideAppSyncField(model, role, field)).toBe(allowed ? 'Allowed' : 'ImplicitlyDenied');
  });

  test.each(ROLES)('%s cannot call a field the schema does not grant', async (role) => {
    expect(await decideAppSyncField(model, role, 'Query.allImages')).toBe('ImplicitlyDenied');
  });
});
