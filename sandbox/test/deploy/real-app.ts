/** The real CDK app (backend/) synthesized once per source version, for tests that deploy the real templates. */
import { cachedSynth } from '../../src/synth';

/** Returns a cdk.out folder holding the real app's synthesized templates. */
export function synthesizeRealApp(): Promise<string> {
  return cachedSynth('sandbox-test-cdk-out');
}
