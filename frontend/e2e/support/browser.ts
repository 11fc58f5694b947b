// Debian's Chromium through playwright-core, with nothing leaving the machine. Two layers: the
// browser resolves no host name but loopback ones, and every context routes each request it can
// see, aborting any that is not for loopback. Requests the page's service worker answers (the
// sandbox's S3 reroute) never reach routing; the worker's own requests, to the sandbox, do.
// Whatever non-loopback request shows up is recorded, so a test can fail on it.
import { S3_HOST } from '@image-share/contracts/s3-reroute';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Request,
} from 'playwright-core';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

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
  /**
   * `blocked`: routing aborted it. `unresolved`: routing never saw it and it failed (the resolver
   * rule stopped it). `answered`: a response came back that the service worker did not make; that
   * would mean a request left the machine.
   */
  outcome: 'blocked' | 'unresolved' | 'answered';
}

export class GuardedBrowser {
  /** Every non-loopback request seen, except S3 calls the service worker answered. */
  private readonly outbound: OutboundAttempt[] = [];
  /** S3 calls the service worker answered (listings, copies, presigned image loads). */
  readonly viaWorker: string[] = [];
  /** S3 calls the page sent straight to the sandbox (`/_aws/s3/<host>/...`): the upload XHRs. */
  readonly rerouted: string[] = [];

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

  /** A context at 1280 x 800 unless `options` says otherwise (the page-weight report sets its own). */
  async newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      const host = hostOf(url);
      if (host === undefined || LOOPBACK.has(host)) return route.continue();
      this.outbound.push({ url, outcome: 'blocked' });
      return route.abort('blockedbyclient');
    });
    const record = (url: string, outcome: OutboundAttempt['outcome']) => {
      if (!this.outbound.some((attempt) => attempt.url === url)) this.outbound.push({ url, outcome });
    };
    context.on('requestfinished', (request: Request) => {
      const host = hostOf(request.url());
      if (
        host !== undefined &&
        LOOPBACK.has(host) &&
        new URL(request.url()).pathname.startsWith('/_aws/s3/')
      ) {
        this.rerouted.push(request.url());
      }
      if (host === undefined || LOOPBACK.has(host)) return;
      void request.response().then(
        (response) => {
          if (response?.fromServiceWorker() && S3_HOST.test(host)) this.viaWorker.push(request.url());
          else record(request.url(), 'answered');
        },
        // The page closed before its response could be read. A non-loopback request from the page
        // itself never gets this far (routing fails it), so only the S3 worker's can be innocent.
        () => {
          if (!S3_HOST.test(host)) record(request.url(), 'answered');
        },
      );
    });
    context.on('requestfailed', (request: Request) => {
      const host = hostOf(request.url());
      if (host === undefined || LOOPBACK.has(host)) return;
      // An S3 call the worker was answering when the page went away (a navigation cancels image
      // loads). Had the worker not taken it, routing would have seen and recorded it.
      if (S3_HOST.test(host) && request.failure()?.errorText === 'net::ERR_ABORTED') return;
      record(request.url(), 'unresolved');
    });
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
