import { API_OUTPUT_KEYS, OUTPUT_KEYS } from '@image-share/contracts/outputs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../support/test-app';

const example = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'outputs.json.example'), 'utf8'),
) as Record<string, Record<string, string>>;

interface StackOutput {
  readonly key: string;
  readonly exported: boolean;
}

/** Every output of each stack, as a deploy writes them: the fixed keys and CDK's cross-stack exports. */
function stackOutputs(testApp: TestApp): Record<string, StackOutput[]> {
  const assembly = testApp.app.synth();
  return Object.fromEntries(
    [testApp.auth, testApp.identity, testApp.storage].map((stack) => {
      const template = assembly.getStackByName(stack.stackName).template as {
        Outputs?: Record<string, { Export?: unknown }>;
      };
      const outputs = Object.entries(template.Outputs ?? {}).map(([key, output]) => ({
        key,
        exported: output.Export !== undefined,
      }));
      return [stack.stackName, outputs];
    }),
  );
}

describe('the outputs contract', () => {
  let outputs: Record<string, StackOutput[]>;
  beforeAll(() => {
    outputs = stackOutputs(createTestApp());
  });

  test('the stacks declare exactly the fixed output keys, each once, besides the exports', () => {
    const declared = Object.values(outputs)
      .flat()
      .filter((output) => !output.exported)
      .map((output) => output.key);
    expect(declared.sort()).toEqual(
      [...Object.values(OUTPUT_KEYS), ...Object.values(API_OUTPUT_KEYS)].sort(),
    );
  });

  test('outputs.json.example has the stacks and keys a deploy writes, exports included', () => {
    const exampleKeys = Object.fromEntries(
      Object.entries(example).map(([stack, values]) => [stack, Object.keys(values).sort()]),
    );
    const deployedKeys = Object.fromEntries(
      Object.entries(outputs).map(([stack, values]) => [stack, values.map((output) => output.key).sort()]),
    );
    expect(exampleKeys).toEqual(deployedKeys);
  });

  test('stack names follow <appName>-<Part>', () => {
    expect(Object.keys(stackOutputs(createTestApp({ appName: 'Photos' })))).toEqual([
      'Photos-Auth',
      'Photos-Identity',
      'Photos-Storage',
    ]);
  });
});
