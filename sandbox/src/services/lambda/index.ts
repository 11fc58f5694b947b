/**
 * The Lambda service: the deployed functions (functions.ts), which other services invoke in
 * process, and Lambda's Invoke API over HTTP (router.ts).
 */
import type { RestService } from '../../core/service';
import { LambdaFunctions, type LambdaFunctionsOptions } from './functions';
import { createLambdaRouter, type LambdaTarget } from './router';

export {
  LambdaFunctions,
  type AsyncInvocationEnd,
  type InvokeOptions,
  type InvocationOutcome,
} from './functions';
export type { LambdaTarget } from './router';

export interface LambdaService {
  readonly functions: LambdaFunctions;
  readonly http: RestService<LambdaTarget>;
}

export function createLambdaService(options: LambdaFunctionsOptions): LambdaService {
  const functions = new LambdaFunctions(options);
  return {
    functions,
    http: createLambdaRouter({
      functions,
      credentials: options.credentials,
      clock: options.clock,
      logger: options.logger,
      region: options.model.region,
    }),
  };
}
