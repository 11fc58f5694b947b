// Amplify's GraphQL client, seen as a Transport: its rejections (a GraphQL result carrying
// `errors`, with AppSync's errorType or the HTTP failure as originalError) become one ApiError.
import { ApiError, type Transport } from './operations';

interface GraphQLErrorLike {
  message?: unknown;
  errorType?: unknown;
  originalError?: { name?: unknown; message?: unknown } | null;
}

const NETWORK_FAILURE = /network error|failed to fetch|fetch failed|ECONNREFUSED/i;

/** The error type AppSync (or the api function) named, else what failed on the way. */
function typeOf(error: GraphQLErrorLike): string {
  if (typeof error.errorType === 'string' && error.errorType) return error.errorType;
  const original = error.originalError;
  const text = `${String(original?.name ?? '')} ${String(original?.message ?? error.message ?? '')}`;
  if (NETWORK_FAILURE.test(text)) return 'NetworkError';
  if (typeof original?.name === 'string' && original.name !== 'Error') return original.name;
  return 'Unknown';
}

export function toApiError(rejection: unknown): ApiError {
  if (rejection instanceof ApiError) return rejection;
  const errors = (rejection as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const list = errors as GraphQLErrorLike[];
    const message = list.map((error) => String(error.message ?? 'no message')).join('; ');
    return new ApiError(typeOf(list[0] as GraphQLErrorLike), message);
  }
  const message = rejection instanceof Error ? rejection.message : String(rejection);
  return new ApiError(
    NETWORK_FAILURE.test(message) ? 'NetworkError' : ((rejection as Error | null)?.name ?? 'Unknown'),
    message,
  );
}

/** Wraps a function that runs one Amplify `graphql` call and resolves to its result. */
export function amplifyTransport(
  send: (document: string, variables: Record<string, unknown>) => Promise<unknown>,
): Transport {
  return async (document, variables) => {
    let result: unknown;
    try {
      result = await send(document, variables);
    } catch (rejection) {
      throw toApiError(rejection);
    }
    const data = (result as { data?: unknown } | null)?.data;
    if (!data || typeof data !== 'object') {
      throw new ApiError('BadResponse', 'The data API answered without data.');
    }
    return data as Record<string, unknown>;
  };
}
