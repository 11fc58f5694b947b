import { ACCESS_RULES, type AccessRules, toAmplifyPaths, validateAccessRules } from '../src/storage';

describe('toAmplifyPaths', () => {
  test('gives each path its principals in Amplify Gen 2 keys', () => {
    const owner = ['get', 'list', 'write', 'delete'];
    expect(toAmplifyPaths(ACCESS_RULES)).toEqual({
      'public/*': { guest: ['get', 'list'], authenticated: ['get', 'list'] },
      'protected/{entity_id}/*': { entityidentity: owner },
      'private/{entity_id}/*': { entityidentity: owner },
      'renditions/protected/*': { authenticated: ['get'] },
      'renditions/private/{entity_id}/*': { entityidentity: ['get'] },
    });
  });

  test('names a group grant groups<name> and lists actions in Amplify order', () => {
    const rules: AccessRules = {
      'shared/*': { groups: { editors: ['delete', 'get'] }, guest: ['list', 'get'] },
    };
    expect(toAmplifyPaths(rules)).toEqual({
      'shared/*': { guest: ['get', 'list'], groupseditors: ['get', 'delete'] },
    });
  });
});

describe('validateAccessRules', () => {
  test('accepts the app rules', () => {
    expect(() => validateAccessRules(ACCESS_RULES)).not.toThrow();
  });

  test.each<[string, AccessRules, RegExp]>([
    ['no trailing slash', { 'private/{entity_id}*': { entity: ['get'] } }, /must end with "\/\*"/],
    ['no wildcard', { 'public/': { guest: ['get'] } }, /must end with "\/\*"/],
    ['a leading slash', { '/public/*': { guest: ['get'] } }, /must not start with "\/"/],
    ['a double slash', { 'public//*': { guest: ['get'] } }, /must not contain "\/\/"/],
    ['a wildcard inside', { 'pub*/x/*': { guest: ['get'] } }, /"\*" only as its last character/],
    [
      'a partial entity segment',
      { 'public/user-{entity_id}/*': { entity: ['get'] } },
      /only as a whole segment/,
    ],
    ['an entity segment not last', { 'public/{entity_id}/x/*': { entity: ['get'] } }, /right before "\/\*"/],
    ['an entity segment first', { '{entity_id}/*': { entity: ['get'] } }, /must start with a folder/],
    ['a dot segment', { 'public/../*': { guest: ['get'] } }, /is not letters/],
    ['an owner grant without entity_id', { 'public/*': { entity: ['get'] } }, /needs \{entity_id\}/],
    ['a guest grant on an owner path', { 'public/{entity_id}/*': { guest: ['get'] } }, /only the owner/],
    ['an unknown action', { 'public/*': { guest: ['read' as never] } }, /unknown actions read/],
    ['an empty action list', { 'public/*': { guest: [] } }, /empty action list/],
    ['a repeated action', { 'public/*': { guest: ['get', 'get'] } }, /repeats an action/],
    ['a grant to nobody', { 'public/*': {} }, /grants nothing/],
    ['a bad group name', { 'public/*': { groups: { 'bad group': ['get'] } } }, /not a valid group name/],
  ])('rejects a path with %s', (_why, rules, message) => {
    expect(() => validateAccessRules(rules)).toThrow(message);
  });
});
