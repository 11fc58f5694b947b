import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUT_KEYS } from '../../lib/outputs/output-keys';
import { createTestApp, type TestApp } from '../support/test-app';

const example = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'outputs.json.example'), 'utf8'),
) as Record<string, Record<string, string>>;

/** The outputs each stack declares, without the cross-stack exports CDK adds. */
function declaredOutputs(testApp: TestApp): Record<string, string[]> {
  const assembly = testApp.app.synth();
  return Object.fromEntries(
    [testApp.auth, testApp.identity, testApp.storage].map((stack) => {
      const outputs = (
        assembly.getStackByName(stack.stackName).template as {
          Outputs?: Record<string, { Export?: unknown }>;
        }
      ).Outputs;
      return [stack.stackName, Object.keys(outputs ?? {}).filter((key) => !outputs?.[key]?.Export)];
    }),
  );
}

describe('the outputs contract', () => {
  let declared: Record<string, string[]>;
  beforeAll(() => {
    declared = declaredOutputs(createTestApp());
  });

  test('the stacks declare exactly the fixed output keys, each once', () => {
    expect(Object.values(declared).flat().sort()).toEqual(Object.values(OUTPUT_KEYS).sort());
  });

  test('outputs.json.example has the stacks and keys a deploy writes', () => {
    expect(
      Object.fromEntries(Object.entries(example).map(([stack, outputs]) => [stack, Object.keys(outputs)])),
    ).toEqual(declared);
  });

  test('stack names follow <appName>-<Part>', () => {
    expect(Object.keys(declaredOutputs(createTestApp({ appName: 'Photos' })))).toEqual([
      'Photos-Auth',
      'Photos-Identity',
      'Photos-Storage',
    ]);
  });
});
