/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { OPERATIONS } from '@/lib/api/operations';

// AppSync defines its scalars itself; the schema file uses them without declaring them.
const APPSYNC_SCALARS = 'scalar AWSDateTime\n';
const schema = buildSchema(
  APPSYNC_SCALARS +
    readFileSync(join(__dirname, '..', '..', 'backend', 'lib', 'api', 'schema.graphql'), 'utf8'),
);

describe('the web app’s operations', () => {
  test.each(Object.entries(OPERATIONS))('%s is valid against the data API’s schema', (key, operation) => {
    const document = parse(operation.document);
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    expect(operation.field).toBe(key);
  });

  test('cover every field of the schema', () => {
    const fields = [schema.getQueryType(), schema.getMutationType()].flatMap((type) =>
      Object.keys(type?.getFields() ?? {}),
    );
    expect(Object.keys(OPERATIONS).sort()).toEqual(fields.sort());
  });

  test('ask owners, and only owners, for the owner-only fields', () => {
    const ownerOnly = /\b(status|rejectionReason|originalKey|originalBytes|createdAt)\b/;
    for (const key of ['publicImages', 'publicImage', 'sharedImages'] as const) {
      expect(OPERATIONS[key].document).not.toMatch(ownerOnly);
    }
    expect(OPERATIONS.myImages.document).toMatch(ownerOnly);
  });
});
