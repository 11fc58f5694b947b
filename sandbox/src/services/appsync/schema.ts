/** An AppSync schema as graphql-js needs it: AppSync's scalars and directives declared first. */
import { buildSchema, isScalarType, type GraphQLSchema } from 'graphql';
import { APPSYNC_DIRECTIVES_SDL, APPSYNC_SCALARS } from './scalars';

export function buildAppSyncSchema(definition: string): GraphQLSchema {
  const declared = (pattern: RegExp) => pattern.test(definition);
  const directives = APPSYNC_DIRECTIVES_SDL.split('\n').filter((line) => {
    const name = /^directive @(\w+)/.exec(line)?.[1];
    return name !== undefined && !declared(new RegExp(`\\bdirective\\s+@${name}\\b`));
  });
  const scalars = APPSYNC_SCALARS.filter((s) => !declared(new RegExp(`\\bscalar\\s+${s.name}\\b`))).map(
    (s) => `scalar ${s.name}`,
  );
  const schema = buildSchema([...directives, ...scalars, definition].join('\n'));
  for (const implementation of APPSYNC_SCALARS) {
    const type = schema.getType(implementation.name);
    if (!isScalarType(type)) continue;
    // buildSchema makes scalars that pass values through; these validate them as AppSync does.
    type.serialize = implementation.serialize;
    type.parseValue = implementation.parseValue;
    type.parseLiteral = implementation.parseLiteral;
  }
  return schema;
}
