'use strict';
/**
 * The runtime inside one function's process (forked by worker.ts): loads the handler the way
 * Lambda's Node.js runtime does (`_HANDLER` = "<file>.<export>" under LAMBDA_TASK_ROOT), runs one
 * invocation at a time and reports each outcome over IPC. Plain JavaScript so that the function
 * runs on bare `node`, with nothing of the sandbox's toolchain loaded into it.
 */
const { existsSync } = require('node:fs');
const { isAbsolute, join, relative, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');
const { format } = require('node:util');

const taskRoot = process.env.LAMBDA_TASK_ROOT;
const handlerName = process.env._HANDLER;
let handlerPromise;
let current;

class RuntimeError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

// Lambda's console lines carry the request they belong to; the sandbox prints them under the
// function's name.
for (const [method, level, stream] of [
  ['log', 'INFO', process.stdout],
  ['info', 'INFO', process.stdout],
  ['debug', 'DEBUG', process.stdout],
  ['warn', 'WARN', process.stderr],
  ['error', 'ERROR', process.stderr],
  ['trace', 'TRACE', process.stderr],
]) {
  globalThis.console[method] = (...args) => {
    stream.write(`${current ? current.requestId : '-'}\t${level}\t${format(...args)}\n`);
  };
}

function loadHandler() {
  const dot = handlerName ? handlerName.lastIndexOf('.') : -1;
  if (dot <= 0) throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handlerName}`);
  const modulePath = resolve(taskRoot, handlerName.slice(0, dot));
  const exportName = handlerName.slice(dot + 1);
  const rel = relative(taskRoot, modulePath);
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handlerName}`);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => modulePath + ext).find((f) => existsSync(f));
  if (!file) throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${rel}'`);
  // import() loads CommonJS and ES modules alike, as Lambda's runtime does since Node.js 18.
  return import(pathToFileURL(file).href).then(
    (module) => {
      const handler = module[exportName] ?? (module.default ? module.default[exportName] : undefined);
      if (typeof handler !== 'function')
        throw new RuntimeError(
          'Runtime.HandlerNotFound',
          `${join(rel)}.${exportName} is undefined or not exported`,
        );
      return handler;
    },
    (err) => {
      throw new RuntimeError('Runtime.ImportModuleError', String(err && err.stack ? err.stack : err));
    },
  );
}

function errorPayload(err) {
  if (err instanceof Error) {
    return {
      errorType:
        err.name && err.name !== 'Error' ? err.name : err.constructor ? err.constructor.name : 'Error',
      errorMessage: err.message,
      trace: String(err.stack || '').split('\n'),
    };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

/** The outcome of one invocation, sent once; `then` runs after the parent has it. */
function finish(invocation, err, result, then) {
  if (invocation.done) return;
  invocation.done = true;
  if (current === invocation) current = undefined;
  let message;
  if (err !== null && err !== undefined) {
    message = { type: 'result', requestId: invocation.requestId, error: errorPayload(err) };
  } else {
    try {
      message = {
        type: 'result',
        requestId: invocation.requestId,
        payload: JSON.stringify(result === undefined ? null : result),
      };
    } catch (e) {
      message = { type: 'result', requestId: invocation.requestId, error: errorPayload(e) };
    }
  }
  process.send(message, then);
}

function invoke(message) {
  const invocation = { requestId: message.requestId, done: false };
  current = invocation;
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
  handlerPromise ??= loadHandler();
  handlerPromise.then(
    (handler) => {
      const callback = (err, result) => finish(invocation, err, result);
      let returned;
      try {
        returned = handler(message.event, context, callback);
      } catch (err) {
        finish(invocation, err);
        return;
      }
      // A handler that returns a promise is async; otherwise it answers through the callback.
      if (returned && typeof returned.then === 'function') {
        returned.then(
          (result) => finish(invocation, null, result),
          (err) => finish(invocation, err === undefined || err === null ? new Error(String(err)) : err),
        );
      }
    },
    (err) => {
      // A handler that failed to load is loaded again by the next invocation, as Lambda re-runs init.
      handlerPromise = undefined;
      finish(invocation, err);
    },
  );
}

process.on('message', (message) => {
  if (message && message.type === 'invoke') invoke(message);
});

// The sandbox is gone (stopped, or killed with -9): its functions go with it.
process.on('disconnect', () => process.exit(0));

// An exception nothing caught ends the environment, as on Lambda; worker.ts reports the exit.
function crash(err, code) {
  if (current) finish(current, err, undefined, () => process.exit(code));
  else process.exit(code);
}
process.on('uncaughtException', (err) => crash(err, 129));
process.on('unhandledRejection', (reason) =>
  crash(reason instanceof Error ? reason : new Error(String(reason)), 128),
);
