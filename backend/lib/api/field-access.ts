// Who may call which field of the data API, as data. Pure (no aws-cdk-lib): the template
// tests, and later the web app and the sandbox, read the same table. IAM decides who may call a
// field; the api function decides ownership.

export type ApiRole = 'guest' | 'authenticated' | 'admin';

const EVERYONE: readonly ApiRole[] = ['guest', 'authenticated', 'admin'];
const SIGNED_IN: readonly ApiRole[] = ['authenticated', 'admin'];

/** `Type.field` -> the roles that may call it. */
export const FIELD_ACCESS: Readonly<Record<string, readonly ApiRole[]>> = {
  'Query.publicImages': EVERYONE,
  'Query.publicImage': EVERYONE,
  'Query.myImages': SIGNED_IN,
  'Query.sharedImages': SIGNED_IN,
  'Query.image': SIGNED_IN,
  'Query.myProfile': SIGNED_IN,
  'Mutation.updateImage': SIGNED_IN,
  'Mutation.setVisibility': SIGNED_IN,
  'Mutation.deleteImage': SIGNED_IN,
  'Mutation.updateProfile': SIGNED_IN,
  'Mutation.deleteMyData': SIGNED_IN,
  'Mutation.moderateImage': ['admin'],
};

/** Nested types are reachable as their parent fields are: granted to every role that can reach one. */
export const NESTED_TYPE_ACCESS: Readonly<Record<string, readonly ApiRole[]>> = {
  Image: EVERYONE,
  Rendition: EVERYONE,
  ImageConnection: EVERYONE,
  Profile: SIGNED_IN,
};

/** The AppSync resource paths (after `apis/<apiId>/`) a role is granted `appsync:GraphQL` on. */
export function grantedPaths(role: ApiRole): string[] {
  const fields = Object.entries(FIELD_ACCESS)
    .filter(([, roles]) => roles.includes(role))
    .map(([field]) => {
      const [type, name] = field.split('.') as [string, string];
      return `types/${type}/fields/${name}`;
    });
  const nested = Object.entries(NESTED_TYPE_ACCESS)
    .filter(([, roles]) => roles.includes(role))
    .map(([type]) => `types/${type}/fields/*`);
  return [...fields, ...nested];
}
