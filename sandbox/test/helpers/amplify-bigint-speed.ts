/**
 * Amplify's SRP client math (a jsbn-style BigInteger) picks its multiply-accumulate routine by
 * looking at `navigator`: absent (Node <= 20) or `appName === 'Netscape'` (every current browser)
 * gives the fast 28-bit routine, any other `navigator` the 26-bit one, which V8 runs about 100x
 * slower. Node 21+ defines a `navigator` without `appName`, so on Node 24 one Amplify sign-in in
 * these tests took 40-80 s instead of 0.4 s. Reporting what browsers report restores the
 * routine the web app runs in a browser; nothing else reads `navigator.appName` here.
 * Loaded by jest's `setupFiles` and by the bench before Amplify's modules.
 */
const nav = (globalThis as { navigator?: { appName?: string } }).navigator;
if (nav !== undefined && nav.appName === undefined) {
  Object.defineProperty(nav, 'appName', { value: 'Netscape', configurable: true });
}

export {};
