/** @jest-environment node */
// /sandbox-sw.js is served only in sandbox mode, and only for the configured loopback sandbox: the
// worker forwards signed S3 requests, so an AWS build must not offer it at all (it was a public file
// in every build).
import type { ConfigResult } from '@/lib/config';

const loadConfig = jest.fn<ConfigResult, []>();
jest.mock('@/lib/config', () => ({ loadConfig: () => loadConfig() }));

import { GET } from '@/app/sandbox-sw.js/route';

function config(mode: 'aws' | 'sandbox', sandboxEndpoint?: string): ConfigResult {
  return {
    ok: true,
    config: {
      source: 'outputs.json',
      mode,
      amplify: { outputs: {}, ...(sandboxEndpoint ? { sandboxEndpoint } : {}) },
      region: 'us-east-1',
      bucketName: 'b',
      userPoolClientId: 'c',
      publicBaseUrl: 'https://d.cloudfront.net',
    },
  };
}

const get = (endpoint: string) =>
  GET(new Request(`http://127.0.0.1:3000/sandbox-sw.js?endpoint=${encodeURIComponent(endpoint)}`));

test('against AWS there is no worker: 404 for any endpoint', async () => {
  loadConfig.mockReturnValue(config('aws'));
  for (const endpoint of ['http://127.0.0.1:4510', 'https://evil.example']) {
    const res = get(endpoint);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('amazonaws');
  }
});

test('without a usable outputs file there is no worker either', () => {
  loadConfig.mockReturnValue({ ok: false, problem: { summary: 'x', details: [], file: 'f' } });
  expect(get('http://127.0.0.1:4510').status).toBe(404);
});

test('in sandbox mode it serves the worker for the configured endpoint, with that endpoint fixed in it', async () => {
  loadConfig.mockReturnValue(config('sandbox', 'http://127.0.0.1:4510'));
  const res = get('http://127.0.0.1:4510');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
  expect(await res.text()).toContain('const ENDPOINT = "http://127.0.0.1:4510";');
});

test('in sandbox mode any other endpoint, foreign or disguised, is a 404', () => {
  loadConfig.mockReturnValue(config('sandbox', 'http://127.0.0.1:4510'));
  for (const endpoint of [
    'https://evil.example',
    'http://127.0.0.1.evil.example:4510',
    'http://localhost@evil.example',
    'http://127.0.0.1:4511',
    '',
  ]) {
    expect([endpoint, get(endpoint).status]).toEqual([endpoint, 404]);
  }
});

test('a sandbox entry naming a host that is not loopback gets no worker', () => {
  loadConfig.mockReturnValue(config('sandbox', 'https://sandbox.evil.example'));
  expect(get('https://sandbox.evil.example').status).toBe(404);
});
