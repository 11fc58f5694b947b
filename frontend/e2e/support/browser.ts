// Debian's Chromium through playwright-core, with nothing leaving the machine. Two layers: the
// browser resolves no host name but loopback ones, and every context routes each request it can
// see, aborting any that is not for loopback. Requests the page's service worker answers (the
// sandbox's S3 reroute) never reach routing; the worker's own requests, to the sandbox, do.
// Whatever non-loopback request shows up is recorded, so a test can fail on it.
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
// The hosts Amplify's S3 client calls; public/sandbox-sw.js answers them from the sandbox.
const S3_HOST = /^(?:[a-z0-9.-]+\.)?s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/;

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

function hostOf(url: string): string | undefined {
  try {
    const { protocol, hostname } = new URL(url);
    // data:, blob: and the like never touch the network.
    return protocol === 'http:' || protocol === 'https:' ? hostname : undefined;
  } catch {
    return undefined;
  }
}

export interface OutboundAttempt {
  url: string;
  /** `blocked`: routing aborted it. `left`: it was sent and not answered by the service worker. */
  outcome: 'blocked' | 'left';
}

export class GuardedBrowser {
  /** Every non-loopback request seen, except S3 calls the service worker answered. */
  readonly outbound: OutboundAttempt[] = [];
  /** S3 calls the service worker answered (uploads, listings, presigned image loads). */
  readonly viaWorker: string[] = [];

  private constructor(readonly browser: Browser) {}

  static async launch(): Promise<GuardedBrowser> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        // Any name but the loopback ones fails to resolve, even for a request routing cannot see.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      ],
    });
    return new GuardedBrowser(browser);
  }

  async newContext(): Promise<BrowserContext> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      const host = hostOf(url);
      if (host === undefined || LOOPBACK.has(host)) return route.continue();
      this.outbound.push({ url, outcome: 'blocked' });
      return route.abort('blockedbyclient');
    });
    const settled = (request: Request, served: boolean) => {
      const url = request.url();
      const host = hostOf(url);
      if (host === undefined || LOOPBACK.has(host)) return;
      if (served && S3_HOST.test(host)) {
        this.viaWorker.push(url);
        return;
      }
      if (!this.outbound.some((attempt) => attempt.url === url)) this.outbound.push({ url, outcome: 'left' });
    };
    context.on('requestfinished', (request) => {
      void request.response().then((response) => settled(request, !!response?.fromServiceWorker()));
    });
    context.on('requestfailed', (request) => settled(request, false));
    return context;
  }

  /** The attempts recorded since the last call, which clears them. */
  takeOutbound(): OutboundAttempt[] {
    return this.outbound.splice(0);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
