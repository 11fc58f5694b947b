import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EXPIRES_AT, INDEXES, KEYS, PUBLIC_ATTRIBUTES } from './table-schema';

export interface ImageTableProps {
  /**
   * Keep the table on stack deletion, protect it from deletion, and turn on point-in-time
   * recovery. Meant for prod.
   * @default false
   */
  readonly production?: boolean;
}

/**
 * One table for image records and profiles. Every listing is a Query on an index whose keys
 * exist only on the items that belong in it (sparse), so no page is ever filtered or scanned.
 */
export class ImageTable extends Construct {
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ImageTableProps = {}) {
    super(scope, id);
    const production = props.production ?? false;
    const string = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: string(KEYS.pk),
      sortKey: string(KEYS.sk),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: production },
      deletionProtection: production,
      timeToLiveAttribute: EXPIRES_AT,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: INDEXES.byOwner,
      partitionKey: string(KEYS.ownerPk),
      sortKey: string(KEYS.ownerSk),
      projectionType: dynamodb.ProjectionType.ALL,
    });
    for (const [indexName, pk, sk] of [
      [INDEXES.publicFeed, KEYS.publicPk, KEYS.publicSk],
      [INDEXES.sharedFeed, KEYS.sharedPk, KEYS.sharedSk],
    ] as const) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: string(pk),
        sortKey: string(sk),
        projectionType: dynamodb.ProjectionType.INCLUDE,
        nonKeyAttributes: [...PUBLIC_ATTRIBUTES],
      });
    }

    if (!production) {
      Validations.of(this.table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason:
          'Dev stage: a throwaway table without point-in-time recovery (billed per GB); the prod stage turns it on.',
      });
    }
  }
}
