/** Maps `AWSCognitoIdentityService.<Operation>` to its handler. */
import { notImplemented } from '../../core/errors';
import { asInput } from '../cognito-idp/params';
import type { IdentityContext } from './context';
import { GetCredentialsForIdentity } from './handlers/GetCredentialsForIdentity';
import { GetId } from './handlers/GetId';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler declares its own SDK input type
type Handler = (ctx: IdentityContext, input: any) => Promise<unknown>;

const operations: Readonly<Record<string, Handler>> = { GetCredentialsForIdentity, GetId };

export async function route(ctx: IdentityContext, operation: string, input: unknown): Promise<unknown> {
  const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
  if (!handler) throw notImplemented(operation);
  return toJsonWire(await handler(ctx, asInput(input)));
}

/** JSON 1.1 sends timestamps as epoch seconds (`Expiration`), where the SDK types hold Dates. */
function toJsonWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJsonWire);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonWire(v)]));
  }
  return value;
}
