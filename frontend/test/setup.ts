import '@testing-library/jest-dom';
import { ReadableStream, TransformStream, WritableStream } from 'node:stream/web';
import { TextDecoder, TextEncoder } from 'node:util';

// jsdom lacks the web streams and encoders browsers have; Amplify UI's storage package loads
// zip.js, which needs them at import time. Node's own implementations stand in.
const globals = { ReadableStream, TransformStream, WritableStream, TextDecoder, TextEncoder };
for (const [name, value] of Object.entries(globals)) {
  if (!(name in globalThis))
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
}

// File thumbnails use object URLs, which jsdom does not implement; a unique placeholder is enough.
if (typeof URL.createObjectURL !== 'function') {
  let next = 0;
  URL.createObjectURL = () => `blob:test/${(next += 1)}`;
  URL.revokeObjectURL = () => undefined;
}
