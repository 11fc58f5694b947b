/**
 * What each DynamoDB operation asks IAM: the `dynamodb:<Operation>` action on which resources, with
 * which condition keys. dynalite executes the operations, so this table (not one handler per
 * operation) is where the service's own behaviour lives. It reads requests after dynalite's
 * validation, so it sees exactly what will run (key conditions parsed, attribute names resolved).
 */
import type { DeployedModel, KeySchemaSpec } from '../../deploy/model';
import { partitionOf } from '../../deploy/partition';
import type { DynaliteOperation, ValidatedRequest } from './store';

/** One authorisation the request needs. */
export interface Access {
  readonly action: string;
  readonly resource: string;
  /** The table the resource belongs to (must exist; its resource policy applies). */
  readonly table?: string;
  readonly context: Record<string, string | readonly string[] | undefined>;
}

export interface OperationSpec {
  accesses(data: ValidatedRequest, model: DeployedModel): Access[];
  /** Changes the tables themselves: refused even when IAM allows it (tables come from the templates). */
  readonly changesTables?: boolean;
}

/** Operations DynamoDB has and dynalite does not: 501 NotImplemented, never a silent success. */
export const UNIMPLEMENTED_OPERATIONS: ReadonlySet<string> = new Set([
  'BatchExecuteStatement',
  'CreateBackup',
  'CreateGlobalTable',
  'DeleteBackup',
  'DeleteResourcePolicy',
  'DescribeBackup',
  'DescribeContinuousBackups',
  'DescribeContributorInsights',
  'DescribeEndpoints',
  'DescribeExport',
  'DescribeGlobalTable',
  'DescribeGlobalTableSettings',
  'DescribeImport',
  'DescribeKinesisStreamingDestination',
  'DescribeLimits',
  'DescribeTableReplicaAutoScaling',
  'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination',
  'ExecuteStatement',
  'ExecuteTransaction',
  'ExportTableToPointInTime',
  'GetResourcePolicy',
  'ImportTable',
  'ListBackups',
  'ListContributorInsights',
  'ListExports',
  'ListGlobalTables',
  'ListImports',
  'PutResourcePolicy',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
  'TransactGetItems',
  'TransactWriteItems',
  'UpdateContinuousBackups',
  'UpdateContributorInsights',
  'UpdateGlobalTable',
  'UpdateGlobalTableSettings',
  'UpdateKinesisStreamingDestination',
  'UpdateTableReplicaAutoScaling',
  'UpdateTimeToLive',
]);

type Item = Readonly<Record<string, unknown>>;

const tableArn = (model: DeployedModel, name: string) =>
  model.tables.get(name)?.arn ??
  `arn:${partitionOf(model.region).partition}:dynamodb:${model.region}:${model.accountId}:table/${name}`;

/** The request keys every item and table operation may carry. */
function requestKeys(data: ValidatedRequest): Access['context'] {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    'dynamodb:Select': text(data.Select),
    'dynamodb:ReturnValues': text(data.ReturnValues),
    'dynamodb:ReturnConsumedCapacity': text(data.ReturnConsumedCapacity),
  };
}

/** A key attribute's value as IAM compares it: the string, the number's text, or the binary's base64. */
function scalar(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as { S?: unknown; N?: unknown; B?: unknown };
  const found = v.S ?? v.N ?? v.B;
  return typeof found === 'string' ? found : undefined;
}

/** `dynamodb:LeadingKeys`: the partition key values, or absent when the request names none (Scan). */
function leadingKeys(values: ReadonlyArray<string | undefined>): readonly string[] | undefined {
  const known = values.filter((v): v is string => v !== undefined);
  return known.length === 0 ? undefined : [...new Set(known)];
}

function partitionKeyOf(model: DeployedModel, table: string): string | undefined {
  return model.tables.get(table)?.keySchema.partitionKey;
}

function keySchemaOf(
  model: DeployedModel,
  table: string,
  index: string | undefined,
): KeySchemaSpec | undefined {
  const spec = model.tables.get(table);
  if (!spec || index === undefined) return spec?.keySchema;
  return [...spec.globalSecondaryIndexes, ...spec.localSecondaryIndexes].find((i) => i.name === index)
    ?.keySchema;
}

/** GetItem, PutItem, UpdateItem, DeleteItem: one item on one table. */
const singleItem =
  (field: 'Key' | 'Item', operation: string): OperationSpec['accesses'] =>
  (data, model) => {
    const table = String(data.TableName);
    const item = (data[field] ?? {}) as Item;
    const partitionKey = partitionKeyOf(model, table);
    return [
      {
        action: `dynamodb:${operation}`,
        resource: tableArn(model, table),
        table,
        context: {
          ...requestKeys(data),
          'dynamodb:LeadingKeys': leadingKeys([
            partitionKey === undefined ? undefined : scalar(item[partitionKey]),
          ]),
        },
      },
    ];
  };

/** Query and Scan address the table or one of its indexes. */
const tableOrIndex =
  (operation: 'Query' | 'Scan'): OperationSpec['accesses'] =>
  (data, model) => {
    const table = String(data.TableName);
    const index = typeof data.IndexName === 'string' ? data.IndexName : undefined;
    const arn = tableArn(model, table);
    // A query names one partition: its key condition's equality on the partition key it reads.
    const partitionKey = keySchemaOf(model, table, index)?.partitionKey;
    const conditions = (data.KeyConditions ?? {}) as Record<
      string,
      { ComparisonOperator?: string; AttributeValueList?: unknown[] }
    >;
    const condition = partitionKey === undefined ? undefined : conditions[partitionKey];
    const value =
      operation === 'Query' && condition?.ComparisonOperator === 'EQ'
        ? scalar(condition.AttributeValueList?.[0])
        : undefined;
    return [
      {
        action: `dynamodb:${operation}`,
        resource: index === undefined ? arn : `${arn}/index/${index}`,
        table,
        context: { ...requestKeys(data), 'dynamodb:LeadingKeys': leadingKeys([value]) },
      },
    ];
  };

/** BatchGetItem and BatchWriteItem are authorised once per table, with every partition key they touch there. */
const batch =
  (operation: 'BatchGetItem' | 'BatchWriteItem'): OperationSpec['accesses'] =>
  (data, model) =>
    Object.entries((data.RequestItems ?? {}) as Record<string, unknown>).map(([table, request]) => {
      const partitionKey = partitionKeyOf(model, table);
      const items: Item[] =
        operation === 'BatchGetItem'
          ? (((request as { Keys?: Item[] }).Keys ?? []) as Item[])
          : ((request ?? []) as Array<{ PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } }>).map(
              (write) => write.PutRequest?.Item ?? write.DeleteRequest?.Key ?? {},
            );
      return {
        action: `dynamodb:${operation}`,
        resource: tableArn(model, table),
        table,
        context: {
          ...requestKeys(data),
          'dynamodb:LeadingKeys': leadingKeys(
            items.map((item) => (partitionKey === undefined ? undefined : scalar(item[partitionKey]))),
          ),
        },
      };
    });

/** Operations on a table as a whole (DescribeTable, CreateTable, ...). */
const wholeTable =
  (operation: string): OperationSpec['accesses'] =>
  (data, model) => {
    const table = String(data.TableName);
    return [{ action: `dynamodb:${operation}`, resource: tableArn(model, table), table, context: {} }];
  };

/** Tag operations name the table by ARN. */
const byArn =
  (operation: string): OperationSpec['accesses'] =>
  (data, model) => {
    const arn = String(data.ResourceArn);
    const table = [...model.tables.values()].find((t) => t.arn === arn)?.name;
    // An ARN of no template table still gets authorised (AWS decides before it looks the table up).
    return [{ action: `dynamodb:${operation}`, resource: arn, table: table ?? arn, context: {} }];
  };

export const OPERATIONS: Readonly<Record<DynaliteOperation, OperationSpec>> = {
  GetItem: { accesses: singleItem('Key', 'GetItem') },
  PutItem: { accesses: singleItem('Item', 'PutItem') },
  UpdateItem: { accesses: singleItem('Key', 'UpdateItem') },
  DeleteItem: { accesses: singleItem('Key', 'DeleteItem') },
  Query: { accesses: tableOrIndex('Query') },
  Scan: { accesses: tableOrIndex('Scan') },
  BatchGetItem: { accesses: batch('BatchGetItem') },
  BatchWriteItem: { accesses: batch('BatchWriteItem') },
  DescribeTable: { accesses: wholeTable('DescribeTable') },
  DescribeTimeToLive: { accesses: wholeTable('DescribeTimeToLive') },
  // ListTables has no resource type in IAM: it is authorised on "*".
  ListTables: { accesses: () => [{ action: 'dynamodb:ListTables', resource: '*', context: {} }] },
  ListTagsOfResource: { accesses: byArn('ListTagsOfResource') },
  TagResource: { accesses: byArn('TagResource') },
  UntagResource: { accesses: byArn('UntagResource') },
  // A table being created has no resource policy yet and need not exist.
  CreateTable: {
    accesses: (data, model) => [
      { action: 'dynamodb:CreateTable', resource: tableArn(model, String(data.TableName)), context: {} },
    ],
    changesTables: true,
  },
  DeleteTable: { accesses: wholeTable('DeleteTable'), changesTables: true },
  UpdateTable: { accesses: wholeTable('UpdateTable'), changesTables: true },
};
