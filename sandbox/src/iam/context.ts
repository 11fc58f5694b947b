import type { AuthorizationRequest } from './types';

/** Condition keys and policy variables, looked up case-insensitively as IAM does. */
export class RequestContext {
  private readonly values = new Map<string, string | readonly string[]>();

  constructor(entries: AuthorizationRequest['context']) {
    for (const [key, value] of Object.entries(entries)) {
      if (value !== undefined) this.values.set(key.toLowerCase(), value);
    }
  }

  get(key: string): string | readonly string[] | undefined {
    return this.values.get(key.toLowerCase());
  }
}
