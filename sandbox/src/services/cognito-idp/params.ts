/** Request-shape checks with Cognito's validation messages (members named in camelCase, as AWS does). */
import { IdpErrors } from './errors';

/** Handlers pass their SDK-typed input; the wire may still hold anything, so every field is checked. */
type Input = object;

function field(input: Input, name: string): unknown {
  return (input as Record<string, unknown>)[name];
}

function member(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function asInput(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw IdpErrors.invalidParameter('The request body must be a JSON object.');
  }
  return input as Record<string, unknown>;
}

export function requiredString(input: Input, name: string): string {
  const value = field(input, name);
  if (value === undefined || value === null)
    throw IdpErrors.validation(member(name), 'Member must not be null');
  if (typeof value !== 'string') throw IdpErrors.invalidParameter(`${name} must be a string.`);
  if (value.length === 0) {
    throw IdpErrors.validation(member(name), 'Member must have length greater than or equal to 1', `''`);
  }
  return value;
}

/** An entry the flow needs from AuthParameters or ChallengeResponses. */
export function requiredParameter(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '')
    throw IdpErrors.invalidParameter(`Missing required parameter ${name}`);
  return value;
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = field(input, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw IdpErrors.invalidParameter(`${name} must be a string.`);
  return value;
}

export function stringMap(input: Input, name: string): Record<string, string> {
  const value = field(input, name);
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw IdpErrors.invalidParameter(`${name} must be a map of strings.`);
  }
  const entries = Object.entries(value);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw IdpErrors.invalidParameter(`${name}.${k} must be a string.`);
  }
  // fromEntries keeps a key such as "__proto__" as data instead of dropping it silently.
  return Object.fromEntries(entries) as Record<string, string>;
}

export interface AttributeInput {
  readonly Name: string;
  readonly Value: string;
}

export function attributeList(input: Input, name: string, required: boolean): AttributeInput[] {
  const value = field(input, name);
  if (value === undefined || value === null) {
    if (required) throw IdpErrors.validation(member(name), 'Member must not be null');
    return [];
  }
  if (!Array.isArray(value)) throw IdpErrors.invalidParameter(`${name} must be a list of {Name, Value}.`);
  return value.map((entry, i) => {
    const e = entry as { Name?: unknown; Value?: unknown };
    if (typeof e !== 'object' || e === null || typeof e.Name !== 'string' || e.Name.length === 0) {
      throw IdpErrors.validation(`${member(name)}.${i + 1}.member.name`, 'Member must not be null');
    }
    if (e.Value !== undefined && typeof e.Value !== 'string') {
      throw IdpErrors.invalidParameter(`${name}[${i}].Value must be a string.`);
    }
    return { Name: e.Name, Value: (e.Value as string | undefined) ?? '' };
  });
}
