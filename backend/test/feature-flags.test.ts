import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { cdkJsonContext } from './support/test-app';

/**
 * cdk.json carries the feature flags `cdk init` writes for the pinned aws-cdk-lib, so the app
 * behaves like a new CDK project. These keep an older behaviour on purpose (JSON has no comments,
 * so the reasons live here).
 */
const KEPT_BEHAVIOUR: Record<string, { value: unknown; why: string }> = {
  '@aws-cdk/core:defaultCrossStackReferences': {
    value: 'strong',
    why:
      'Exports and Fn::ImportValue stop CloudFormation from deleting the Auth stack while the ' +
      'Identity stack still uses its user pool ("weak" reads outputs with Fn::GetStackOutput and ' +
      'allows it); moving a deployed app to "weak" takes two deploys through "both"; and the ' +
      "sandbox's template deploy resolves Fn::ImportValue, not Fn::GetStackOutput.",
  },
};

describe('cdk.json feature flags', () => {
  const context = cdkJsonContext();

  test.each(Object.entries(CURRENTLY_RECOMMENDED_FLAGS))('%s is set', (flag, recommended) => {
    expect(context[flag]).toEqual(KEPT_BEHAVIOUR[flag]?.value ?? recommended);
  });

  test('every kept behaviour differs from the recommendation', () => {
    for (const [flag, { value }] of Object.entries(KEPT_BEHAVIOUR)) {
      expect(flag in CURRENTLY_RECOMMENDED_FLAGS).toBe(true);
      expect(value).not.toEqual(
        CURRENTLY_RECOMMENDED_FLAGS[flag as keyof typeof CURRENTLY_RECOMMENDED_FLAGS],
      );
    }
  });

  test('sets no flag the pinned aws-cdk-lib does not recommend', () => {
    const flags = Object.keys(context).filter((key) => key.startsWith('@aws-cdk'));
    expect(flags.filter((flag) => !(flag in CURRENTLY_RECOMMENDED_FLAGS))).toEqual([]);
  });
});
