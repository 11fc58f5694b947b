// Against AWS the app unregisters any sandbox worker an earlier sandbox session left on the origin:
// it would otherwise keep forwarding signed S3 requests to wherever it was told.
import { render } from '@testing-library/react';

jest.mock('aws-amplify/auth', () => ({ fetchAuthSession: () => Promise.resolve({}) }));
jest.mock('aws-amplify/utils', () => ({ Hub: { listen: () => () => undefined } }));
jest.mock('@/lib/amplify-browser', () => ({ configureAmplify: jest.fn() }));

import { AmplifyProvider } from '@/components/amplify/amplify-provider';
import { ensureSandboxWorker, releaseSandboxWorker } from '@/lib/sandbox-worker';

const worker = (path: string) => ({ scriptURL: `http://localhost${path}` }) as ServiceWorker;

function registration(path: string) {
  return {
    active: worker(path),
    waiting: null,
    installing: null,
    unregister: jest.fn(() => Promise.resolve(true)),
  };
}

function fakeServiceWorkers(
  registrations: ReturnType<typeof registration>[],
  controller: ServiceWorker | null,
) {
  const container = {
    controller,
    getRegistrations: jest.fn(() => Promise.resolve(registrations)),
    register: jest.fn(() => Promise.resolve()),
    addEventListener: jest.fn(),
    removeEventListener: jest.fn(),
  };
  Object.defineProperty(navigator, 'serviceWorker', { value: container, configurable: true });
  return container;
}

afterEach(() => {
  delete (navigator as { serviceWorker?: unknown }).serviceWorker;
});

test('unregisters the sandbox worker (and only it), and reloads a page it still controls', async () => {
  const sandbox = registration('/sandbox-sw.js');
  const other = registration('/other-sw.js');
  fakeServiceWorkers([sandbox, other], worker('/sandbox-sw.js'));
  const reload = jest.fn();
  await expect(releaseSandboxWorker(reload)).resolves.toBe('reloading');
  expect(sandbox.unregister).toHaveBeenCalled();
  expect(other.unregister).not.toHaveBeenCalled();
  expect(reload).toHaveBeenCalledTimes(1);
});

test('does nothing when no sandbox worker is registered', async () => {
  const other = registration('/other-sw.js');
  fakeServiceWorkers([other], null);
  const reload = jest.fn();
  await expect(releaseSandboxWorker(reload)).resolves.toBe('none');
  expect(other.unregister).not.toHaveBeenCalled();
  expect(reload).not.toHaveBeenCalled();
});

test('the signed-in area running against AWS unregisters a leftover sandbox worker', async () => {
  const sandbox = registration('/sandbox-sw.js');
  fakeServiceWorkers([sandbox], null);
  render(<AmplifyProvider setup={{ outputs: {} }}>signed-in area</AmplifyProvider>);
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(sandbox.unregister).toHaveBeenCalled();
});

test('sandbox mode refuses to register the worker for an endpoint that is not loopback', async () => {
  const container = fakeServiceWorkers([], null);
  await expect(ensureSandboxWorker('https://evil.example')).rejects.toThrow(/not on this machine/);
  expect(container.register).not.toHaveBeenCalled();
});
