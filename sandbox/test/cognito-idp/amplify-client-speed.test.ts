import { amplifyDigitBits } from '../helpers/amplify-srp';

// On Node 21+ Amplify's SRP math falls back to a routine ~100x slower unless navigator.appName
// reads like a browser's; without the setup file every Amplify sign-in here takes a minute.
it("loads Amplify's SRP BigInteger with its fast 28-bit routine, as in a browser", () => {
  expect(amplifyDigitBits()).toBe(28);
});
