/**
 * The tables' data, kept by dynalite (Apache-2.0; DynamoDB's item semantics, expressions and
 * validation on LevelDB). Its request handler is an HTTP server of its own that checks no
 * signature; the sandbox never starts it. It calls dynalite's validation and action modules
 * directly, in process, after its own SigV4 and IAM checks.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Logger } from '../../core/logger';
import type { SecondaryIndexSpec, TableSpec } from '../../deploy/model';
import { fromDynaliteError } from './errors';

/** The operations dynalite 4 implements (its own list); everything else DynamoDB has answers 501. */
export const DYNALITE_OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
] as const;
export type DynaliteOperation = (typeof DYNALITE_OPERATIONS)[number];

/** A request after dynalite's validation: types checked, expressions parsed, names resolved. */
export type ValidatedRequest = Record<string, unknown>;

interface DynaliteFailure extends Error {
  statusCode?: number;
  body?: { __type?: unknown; message?: unknown };
}
type Callback = (err: DynaliteFailure | null | undefined, data?: unknown) => void;
interface DynaliteDb {
  getTable(name: string, checkStatus: boolean, cb: Callback): void;
  tableDb: { awsRegion: string; awsAccountId: string };
  db: { open(): Promise<void>; close(cb: (err?: Error) => void): void };
}
interface DynaliteValidations {
  checkTypes(data: unknown, types: unknown): ValidatedRequest;
  checkValidations(data: ValidatedRequest, types: unknown, custom: unknown, store: DynaliteDb): void;
}
type DynaliteAction = (store: DynaliteDb, data: ValidatedRequest, cb: Callback) => void;

// dynalite ships CommonJS modules without types or an exports map; they are loaded by path.
const load = createRequire(__filename);
const lowerFirst = (operation: string) => operation[0]!.toLowerCase() + operation.slice(1);

export interface DynamoDbStoreOptions {
  /** The LevelDB folder; undefined keeps everything in memory (tests). */
  readonly path: string | undefined;
  readonly region: string;
  readonly accountId: string;
  readonly logger: Logger;
}

export class DynamoDbStore {
  private readonly validations: DynaliteValidations = load('dynalite/validations');
  private readonly actions = new Map<string, { run: DynaliteAction; types: unknown; custom: unknown }>();

  private constructor(private readonly db: DynaliteDb) {
    for (const operation of DYNALITE_OPERATIONS) {
      const name = lowerFirst(operation);
      const validation = load(`dynalite/validations/${name}`) as { types: unknown; custom?: unknown };
      this.actions.set(operation, {
        run: load(`dynalite/actions/${name}`) as DynaliteAction,
        types: validation.types,
        custom: validation.custom,
      });
    }
  }

  /** Opens the LevelDB store and makes each template table exist with the template's definition. */
  static async open(options: DynamoDbStoreOptions, tables: Iterable<TableSpec>): Promise<DynamoDbStore> {
    if (options.path !== undefined) await mkdir(options.path, { recursive: true });
    const { create } = load('dynalite/db') as { create(options: object): DynaliteDb };
    // Tables switch to ACTIVE at once: they exist before the sandbox answers its first request.
    const db = create({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    try {
      await db.db.open();
    } catch (err) {
      // LevelDB locks its folder: the usual cause is a second sandbox on the same state folder.
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? String(err);
      throw new Error(
        `Cannot open the DynamoDB state in ${options.path}: ${cause}. Is another sandbox using it?`,
      );
    }
    // dynalite reads these from the environment otherwise; ARNs must name the sandbox's own.
    db.tableDb.awsRegion = options.region;
    db.tableDb.awsAccountId = options.accountId;
    const store = new DynamoDbStore(db);
    try {
      for (const table of tables) await store.ensureTable(table, options.logger);
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  /** dynalite's validation of one request: throws the ValidationException DynamoDB would answer. */
  validate(operation: DynaliteOperation, input: unknown): ValidatedRequest {
    const action = this.actions.get(operation)!;
    try {
      const data = this.validations.checkTypes(input, action.types);
      this.validations.checkValidations(data, action.types, action.custom, this.db);
      return data;
    } catch (err) {
      throw translate(err);
    }
  }

  run(operation: DynaliteOperation, data: ValidatedRequest): Promise<Record<string, unknown>> {
    const action = this.actions.get(operation)!;
    return new Promise((resolve, reject) => {
      action.run(this.db, data, (err, output) => {
        if (err) reject(translate(err));
        else resolve((output ?? {}) as Record<string, unknown>);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.db.close((err) => (err ? reject(err) : resolve())));
  }

  /**
   * Creates a missing table; replaces one whose keys or indexes changed in the template (the data
   * goes, as with CloudFormation's replacement of a table whose key schema changed).
   */
  private async ensureTable(table: TableSpec, logger: Logger): Promise<void> {
    const wanted = createTableInput(table);
    const existing = await this.describe(table.name);
    if (existing) {
      if (definitionKey(existing) === definitionKey(wanted)) return;
      logger.warn(
        `table ${table.name}: keys or indexes changed in the template; replacing it (its items are deleted)`,
      );
      await this.run('DeleteTable', this.validate('DeleteTable', { TableName: table.name }));
      while (await this.describe(table.name)) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await this.run('CreateTable', this.validate('CreateTable', wanted));
    while ((await this.describe(table.name))?.TableStatus !== 'ACTIVE') {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private describe(name: string): Promise<Record<string, unknown> | undefined> {
    return new Promise((resolve, reject) => {
      this.db.getTable(name, false, (err, table) => {
        if (err?.body && /ResourceNotFoundException/.test(String(err.body.__type))) resolve(undefined);
        else if (err) reject(translate(err));
        else resolve(table as Record<string, unknown>);
      });
    });
  }
}

function translate(err: unknown): Error {
  const failure = err as DynaliteFailure;
  if (failure?.statusCode !== undefined && failure.body)
    return fromDynaliteError(failure.statusCode, failure.body);
  return err instanceof Error ? err : new Error(String(err));
}

function createTableInput(table: TableSpec): Record<string, unknown> {
  const keySchema = (key: TableSpec['keySchema']) => [
    { AttributeName: key.partitionKey, KeyType: 'HASH' },
    ...(key.sortKey === undefined ? [] : [{ AttributeName: key.sortKey, KeyType: 'RANGE' }]),
  ];
  const throughput = table.provisionedThroughput && {
    ReadCapacityUnits: table.provisionedThroughput.readCapacityUnits,
    WriteCapacityUnits: table.provisionedThroughput.writeCapacityUnits,
  };
  const index = (spec: SecondaryIndexSpec, global: boolean) => ({
    IndexName: spec.name,
    KeySchema: keySchema(spec.keySchema),
    Projection: {
      ProjectionType: spec.projectionType,
      ...(spec.nonKeyAttributes.length > 0 ? { NonKeyAttributes: [...spec.nonKeyAttributes] } : {}),
    },
    ...(global && throughput ? { ProvisionedThroughput: throughput } : {}),
  });
  return {
    TableName: table.name,
    KeySchema: keySchema(table.keySchema),
    AttributeDefinitions: Object.entries(table.attributeTypes).map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    ...(throughput ? { ProvisionedThroughput: throughput } : { BillingMode: 'PAY_PER_REQUEST' }),
    ...(table.globalSecondaryIndexes.length > 0
      ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((i) => index(i, true)) }
      : {}),
    ...(table.localSecondaryIndexes.length > 0
      ? { LocalSecondaryIndexes: table.localSecondaryIndexes.map((i) => index(i, false)) }
      : {}),
  };
}

/** What makes two table definitions the same table (capacity changes in place and does not count). */
function definitionKey(description: Record<string, unknown>): string {
  const indexes = (value: unknown) =>
    (Array.isArray(value) ? (value as Array<Record<string, unknown>>) : [])
      .map((i) => {
        const projection = (i.Projection ?? {}) as { ProjectionType?: string; NonKeyAttributes?: string[] };
        return {
          name: i.IndexName,
          key: i.KeySchema,
          projection: projection.ProjectionType,
          attributes: [...(projection.NonKeyAttributes ?? [])].sort(),
        };
      })
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const attributes = (
    description.AttributeDefinitions as Array<{ AttributeName: string; AttributeType: string }>
  )
    .map((a) => `${a.AttributeName}:${a.AttributeType}`)
    .sort();
  return JSON.stringify({
    key: description.KeySchema,
    attributes,
    global: indexes(description.GlobalSecondaryIndexes),
    local: indexes(description.LocalSecondaryIndexes),
  });
}
