// Sandbox mode only. Amplify cannot be pointed at a local S3 endpoint, so the service worker
// (lib/sandbox-sw.ts) reroutes S3 requests; it has to control the page before the first one.
// Against AWS, releaseSandboxWorker removes a worker left over from a sandbox session.
import { toSandboxUrl } from '@image-share/contracts/s3-reroute';
import { loopbackEndpoint, SANDBOX_WORKER_PATH, sandboxWorkerUrl } from './sandbox-sw';

const RELOAD_FLAG = 'sandbox-sw-reloaded';
const CLAIM_TIMEOUT_MS = 3000;

function isSandboxWorker(worker: ServiceWorker | null | undefined): boolean {
  return !!worker && new URL(worker.scriptURL).pathname === SANDBOX_WORKER_PATH;
}

/**
 * For the app running against AWS: unregisters every registration of the sandbox worker (from an
 * earlier sandbox session on this origin), which would otherwise keep sending S3 requests, with
 * their credentials, to wherever it was told. A page it still controls is reloaded once, so no
 * request of this page goes through it. Resolves to what it did.
 */
export async function releaseSandboxWorker(
  reload: () => void = () => location.reload(),
): Promise<'none' | 'unregistered' | 'reloading'> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return 'none';
  const registrations = await navigator.serviceWorker.getRegistrations();
  const stale = registrations.filter((r) =>
    [r.active, r.waiting, r.installing].some((worker) => isSandboxWorker(worker)),
  );
  if (stale.length === 0) return 'none';
  await Promise.all(stale.map((r) => r.unregister()));
  if (isSandboxWorker(navigator.serviceWorker.controller)) {
    reload();
    return 'reloading';
  }
  return 'unregistered';
}

function controlledBy(url: string): boolean {
  const controller = navigator.serviceWorker.controller;
  return !!controller && controller.scriptURL === new URL(url, location.href).href;
}

function waitForController(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      navigator.serviceWorker.removeEventListener('controllerchange', onChange);
      resolve(value);
    };
    const onChange = () => {
      if (controlledBy(url)) done(true);
    };
    const timer = setTimeout(() => done(controlledBy(url)), CLAIM_TIMEOUT_MS);
    navigator.serviceWorker.addEventListener('controllerchange', onChange);
    // It may have taken control between registration and this listener.
    if (controlledBy(url)) done(true);
  });
}

/**
 * Resolves once the worker controls this page. The worker claims open pages when it activates;
 * if that does not happen in time the page reloads once (a reload always starts controlled).
 */
export async function ensureSandboxWorker(endpoint: string): Promise<'ready' | 'reloading'> {
  if (!('serviceWorker' in navigator)) {
    throw new Error(
      'This browser does not offer service workers here, and the local sandbox needs one to reach its S3. Open the app at http://localhost or http://127.0.0.1 in a current browser.',
    );
  }
  if (loopbackEndpoint(endpoint) === undefined) {
    throw new Error(
      `The sandbox endpoint ${endpoint} is not on this machine (http on 127.0.0.1, [::1] or localhost), so S3 requests are not sent to it.`,
    );
  }
  rerouteS3Xhr(endpoint);
  const url = sandboxWorkerUrl(endpoint);
  if (controlledBy(url)) {
    sessionStorage.removeItem(RELOAD_FLAG);
    return 'ready';
  }
  await navigator.serviceWorker.register(url, { scope: '/' });
  if (await waitForController(url)) {
    sessionStorage.removeItem(RELOAD_FLAG);
    return 'ready';
  }
  if (sessionStorage.getItem(RELOAD_FLAG)) {
    sessionStorage.removeItem(RELOAD_FLAG);
    throw new Error(
      'The sandbox service worker did not take control of this page, so uploads cannot reach the local sandbox. Reload the page; if that does not help, clear this site\u2019s data in the browser.',
    );
  }
  sessionStorage.setItem(RELOAD_FLAG, '1');
  location.reload();
  return 'reloading';
}

const XHR_REROUTED = Symbol.for('sandbox.xhr.rerouted');

/**
 * Uploads go out as XHRs (for progress), and Chromium reports no upload progress for requests a
 * service worker answers. So XHRs to S3 are sent straight to the sandbox, with the same rewrite
 * the worker applies; the worker still covers fetches and presigned <img> loads.
 */
function rerouteS3Xhr(endpoint: string): void {
  const proto = XMLHttpRequest.prototype as XMLHttpRequest & { [XHR_REROUTED]?: boolean };
  if (proto[XHR_REROUTED]) return;
  proto[XHR_REROUTED] = true;
  const open = proto.open as (this: XMLHttpRequest, ...args: unknown[]) => void;
  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    const target = toSandboxUrl(new URL(String(url), location.href), endpoint);
    open.call(this, method, target ?? url, ...rest);
  } as XMLHttpRequest['open'];
}
