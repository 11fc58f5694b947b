import { CreateInvalidationCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { randomUUID } from 'node:crypto';

/** Removes paths from the CDN's caches, so a removed image stops answering within a minute. */
export interface Cdn {
  invalidate(paths: readonly string[]): Promise<void>;
}

export class CloudFrontCdn implements Cdn {
  constructor(
    private readonly cloudfront: CloudFrontClient,
    private readonly distributionId: string,
  ) {}

  async invalidate(paths: readonly string[]) {
    if (paths.length === 0) return;
    await this.cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: this.distributionId,
        InvalidationBatch: {
          CallerReference: randomUUID(),
          Paths: { Quantity: paths.length, Items: [...paths] },
        },
      }),
    );
  }
}
