import { mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
  ListInvalidationsCommand,
} from '@aws-sdk/client-cloudfront';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { ManualClock } from '../../src/core/clock';
import type { SessionCredentials } from '../../src/core/credentials';
import type { RoleSpec } from '../../src/deploy/model';
import { createCloudFrontApi } from '../../src/services/cloudfront/api';
import { EdgeCache } from '../../src/services/cloudfront/cache';
import {
  INVALIDATION_IN_PROGRESS_MS,
  InvalidationStore,
  MAX_PATHS_IN_PROGRESS,
  MAX_WILDCARDS_IN_PROGRESS,
} from '../../src/services/cloudfront/invalidations';
import { DIST, distributionArn, oacPolicy, OTHER, startEdge, type Edge } from '../helpers/cloudfront-edge';
import {
  ACCOUNT,
  BUCKET,
  bucketSpec,
  InMemoryCredentialStore,
  makeCredentials,
} from '../helpers/s3-test-server';

const SANDBOX_REGION = 'eu-west-1';
const ALL_DISTRIBUTIONS = `arn:aws:cloudfront::${ACCOUNT}:distribution/*`;

function role(name: string, actions: string[], resource: string): RoleSpec {
  return {
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    name,
    assumeRolePolicy: { Version: '2012-10-17', Statement: [] },
    policies:
      actions.length === 0
        ? []
        : [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] }],
  };
}

/** Like the pipeline's and api function's roles: CreateInvalidation on the one distribution. */
const FUNCTION_ROLE = role('FunctionRole', ['cloudfront:CreateInvalidation'], distributionArn(DIST));
const OPERATOR_ROLE = role(
  'OperatorRole',
  ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation', 'cloudfront:ListInvalidations'],
  ALL_DISTRIBUTIONS,
);
const GUEST_ROLE = role('GuestRole', [], '*');

function sessionOf(r: RoleSpec): SessionCredentials {
  return makeCredentials({
    roleArn: r.arn,
    assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${r.name}/session`,
    identityId: undefined,
    identityPoolId: undefined,
    amr: undefined,
  });
}

describe('the CloudFront API', () => {
  let edge: Edge;
  let clock: ManualClock;
  let stateDir: string;
  let server: Server;
  let endpoint: string;
  let store: InvalidationStore;
  const sessions = {
    function: sessionOf(FUNCTION_ROLE),
    operator: sessionOf(OPERATOR_ROLE),
    guest: sessionOf(GUEST_ROLE),
  };
  const client = (session: SessionCredentials, region = 'us-east-1') =>
    new CloudFrontClient({
      endpoint,
      region,
      credentials: session,
      maxAttempts: 1,
    });
  const create = (
    session: SessionCredentials,
    paths: string[],
    ref: string = randomUUID(),
    distribution = DIST,
  ) =>
    client(session).send(
      new CreateInvalidationCommand({
        DistributionId: distribution,
        InvalidationBatch: { CallerReference: ref, Paths: { Quantity: paths.length, Items: paths } },
      }),
    );

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    stateDir = await mkdtemp(join(tmpdir(), 'sandbox-cloudfront-'));
    const cache = new EdgeCache();
    edge = await startEdge(bucketSpec({ policy: oacPolicy('public/*') }), {
      clock,
      cache,
      roles: [FUNCTION_ROLE, OPERATOR_ROLE, GUEST_ROLE],
    });
    const credentials = new InMemoryCredentialStore();
    for (const s of Object.values(sessions)) await credentials.put(s);
    store = await InvalidationStore.open(stateDir, cache, clock);
    const api = createCloudFrontApi({
      // A sandbox in another region than CloudFront's us-east-1, as a developer may run it.
      model: { ...edge.model, region: SANDBOX_REGION },
      invalidations: store,
      credentials,
      clock,
      logger: edge.logger,
    });
    server = createServer((req, res) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const rawPath = q === -1 ? url : url.slice(0, q);
      void api.handle(
        req,
        res,
        {
          rawPath: rawPath.slice('/2020-05-31'.length),
          rawQuery: q === -1 ? '' : url.slice(q + 1),
          signedPath: rawPath,
        },
        { sourceIp: '127.0.0.1', requestId: randomUUID() },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await edge.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  test("the function's role invalidates a cached object: the edge goes back to the origin at once", async () => {
    await (await fetch(`${edge.url}/${DIST}/idA/cat.png`)).text();
    await edge.s3.client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'public/idA/cat.png' }));
    expect((await fetch(`${edge.url}/${DIST}/idA/cat.png`)).headers.get('x-cache')).toBe(
      'Hit from cloudfront',
    );

    const out = await create(sessions.function, ['/idA/cat.png']);
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.Location).toBe(
      `${endpoint}/2020-05-31/distribution/${DIST}/invalidation/${out.Invalidation?.Id}`,
    );
    expect(out.Invalidation).toMatchObject({
      Id: expect.stringMatching(/^I[A-Z0-9]{13}$/),
      Status: 'InProgress',
      InvalidationBatch: { Paths: { Quantity: 1, Items: ['/idA/cat.png'] } },
    });
    expect(out.Invalidation?.CreateTime).toEqual(clock.now());
    const after = await fetch(`${edge.url}/${DIST}/idA/cat.png`);
    expect(after.status).toBe(403);
    expect(after.headers.get('x-cache')).toBe('Error from cloudfront');
  });

  test('a wildcard path invalidates everything under it, an encoded path its decoded object', async () => {
    await edge.put('public/idA/sub/a.png', 'a');
    for (const path of ['/idA/cat.png', '/idA/sub/a.png', '/idA/photo%201.png'])
      await (await fetch(`${edge.url}/${DIST}${path}`)).text();
    expect(edge.cache.size.entries).toBe(3);
    await create(sessions.operator, ['/idA/sub/*']);
    expect(edge.cache.size.entries).toBe(2);
    await create(sessions.operator, ['/idA/photo%201.png']);
    expect(edge.cache.size.entries).toBe(1);
  });

  test('GetInvalidation and ListInvalidations: InProgress, then Completed; newest first, in pages', async () => {
    const first = await create(sessions.operator, ['/a']);
    clock.advance(10);
    const second = await create(sessions.operator, ['/b', '/c*']);
    const get = (id: string) =>
      client(sessions.operator).send(new GetInvalidationCommand({ DistributionId: DIST, Id: id }));
    expect((await get(first.Invalidation!.Id!)).Invalidation?.Status).toBe('InProgress');
    clock.advance(INVALIDATION_IN_PROGRESS_MS);
    const done = await get(second.Invalidation!.Id!);
    expect(done.Invalidation).toMatchObject({
      Status: 'Completed',
      InvalidationBatch: { Paths: { Quantity: 2, Items: ['/b', '/c*'] } },
    });

    const page1 = await client(sessions.operator).send(
      new ListInvalidationsCommand({ DistributionId: DIST, MaxItems: 1 }),
    );
    expect(page1.InvalidationList).toMatchObject({
      IsTruncated: true,
      Quantity: 1,
      MaxItems: 1,
      NextMarker: second.Invalidation!.Id,
      Items: [{ Id: second.Invalidation!.Id, Status: 'Completed' }],
    });
    const page2 = await client(sessions.operator).send(
      new ListInvalidationsCommand({
        DistributionId: DIST,
        MaxItems: 1,
        Marker: page1.InvalidationList!.NextMarker,
      }),
    );
    expect(page2.InvalidationList).toMatchObject({
      IsTruncated: false,
      Quantity: 1,
      Items: [{ Id: first.Invalidation!.Id }],
    });
    const other = await client(sessions.operator).send(
      new ListInvalidationsCommand({ DistributionId: OTHER }),
    );
    expect(other.InvalidationList).toMatchObject({ Quantity: 0, IsTruncated: false });
  });

  test('the same CallerReference with the same paths is the same invalidation; with other paths, an error', async () => {
    const a = await create(sessions.function, ['/x', '/y'], 'ref-1');
    const again = await create(sessions.function, ['/y', '/x'], 'ref-1');
    expect(again.Invalidation?.Id).toBe(a.Invalidation?.Id);
    await expect(create(sessions.function, ['/z'], 'ref-1')).rejects.toMatchObject({
      name: 'InvalidationBatchAlreadyExists',
      $metadata: { httpStatusCode: 409 },
    });
  });

  test('invalidations survive a restart of the store', async () => {
    const made = await create(sessions.operator, ['/kept']);
    const reopened = await InvalidationStore.open(stateDir, new EdgeCache(), clock);
    expect(reopened.get(DIST, made.Invalidation!.Id!).paths).toEqual(['/kept']);
  });

  test("a role is held to its grants: the function's role may only create, and only on its distribution", async () => {
    const made = await create(sessions.function, ['/a']);
    await expect(
      client(sessions.function).send(
        new GetInvalidationCommand({ DistributionId: DIST, Id: made.Invalidation!.Id! }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await expect(
      client(sessions.function).send(new ListInvalidationsCommand({ DistributionId: DIST })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(create(sessions.function, ['/a'], randomUUID(), OTHER)).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(create(sessions.guest, ['/a'])).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(
      edge.logger.lines.some(
        (l) => l.message === 'AccessDenied' && l.fields?.action === 'cloudfront:GetInvalidation',
      ),
    ).toBe(true);
  });

  test('an unknown distribution or invalidation is NoSuch..., for a role allowed on every distribution', async () => {
    await expect(create(sessions.operator, ['/a'], randomUUID(), 'E0000NOSUCH000')).rejects.toMatchObject({
      name: 'NoSuchDistribution',
      $metadata: { httpStatusCode: 404 },
    });
    // Without a grant on it, the caller does not learn whether it exists.
    await expect(create(sessions.function, ['/a'], randomUUID(), 'E0000NOSUCH000')).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(
      client(sessions.operator).send(
        new GetInvalidationCommand({ DistributionId: DIST, Id: 'I0000000000000' }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchInvalidation', $metadata: { httpStatusCode: 404 } });
  });

  test.each([
    ['a path without a leading slash', ['idA/cat.png'], 'InvalidArgument'],
    ['a * before the end', ['/idA/*/cat.png'], 'InvalidArgument'],
    ['a control character', ['/idA/\u0007.png'], 'InvalidArgument'],
    ['no path at all', [], 'InvalidArgument'],
    [
      'more paths than one batch may hold',
      Array.from({ length: MAX_PATHS_IN_PROGRESS + 1 }, (_, i) => `/f${i}`),
      'BatchTooLarge',
    ],
  ])('%s is refused (%#)', async (_name, paths, code) => {
    await expect(create(sessions.operator, paths)).rejects.toMatchObject({ name: code });
  });

  test('Quantity must count the Items', async () => {
    await expect(
      client(sessions.operator).send(
        new CreateInvalidationCommand({
          DistributionId: DIST,
          InvalidationBatch: { CallerReference: 'q', Paths: { Quantity: 2, Items: ['/a'] } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InconsistentQuantities' });
  });

  test('wildcard paths in progress are limited, and free again once completed', async () => {
    const wildcards = Array.from({ length: MAX_WILDCARDS_IN_PROGRESS }, (_, i) => `/w${i}/*`);
    await create(sessions.operator, wildcards);
    await expect(create(sessions.operator, ['/one-more/*'])).rejects.toMatchObject({
      name: 'TooManyInvalidationsInProgress',
    });
    clock.advance(INVALIDATION_IN_PROGRESS_MS);
    await expect(create(sessions.operator, ['/one-more/*'])).resolves.toBeDefined();
  });

  test("a client signing in us-east-1 or in the sandbox's region is accepted; another region or service is not", async () => {
    await expect(
      client(sessions.operator, SANDBOX_REGION).send(new ListInvalidationsCommand({ DistributionId: DIST })),
    ).resolves.toBeDefined();
    await expect(
      client(sessions.operator, 'ap-south-1').send(new ListInvalidationsCommand({ DistributionId: DIST })),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    const res = await signedFetch(
      sessions.operator,
      'GET',
      `/2020-05-31/distribution/${DIST}/invalidation`,
      '',
      's3',
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  test('unsigned, wrongly signed and unknown callers are refused', async () => {
    const unsigned = await fetch(`${endpoint}/2020-05-31/distribution/${DIST}/invalidation`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    await expect(
      client({ ...sessions.operator, secretAccessKey: 'wrong' }).send(
        new ListInvalidationsCommand({ DistributionId: DIST }),
      ),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    await expect(
      client(makeCredentials()).send(new ListInvalidationsCommand({ DistributionId: DIST })),
    ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  test('another operation answers 501 NotImplemented', async () => {
    await expect(
      client(sessions.operator).send(new GetDistributionCommand({ Id: DIST })),
    ).rejects.toMatchObject({
      name: 'NotImplemented',
      $metadata: { httpStatusCode: 501 },
    });
  });

  test.each([
    [
      'an entity declaration (billion laughs)',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><InvalidationBatch><CallerReference>&a;</CallerReference><Paths><Quantity>1</Quantity><Items><Path>/a</Path></Items></Paths></InvalidationBatch>',
    ],
    [
      'an external entity',
      '<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><InvalidationBatch/>',
    ],
    [
      'an undefined entity',
      '<InvalidationBatch><CallerReference>&xxe;</CallerReference></InvalidationBatch>',
    ],
    ['deep nesting', `<InvalidationBatch>${'<a>'.repeat(200)}${'</a>'.repeat(200)}</InvalidationBatch>`],
    ['a wrong root', '<Batch><CallerReference>r</CallerReference></Batch>'],
    ['not XML', 'hello'],
  ])('hostile or malformed XML is MalformedInput: %s', async (_name, xml) => {
    const res = await signedFetch(
      sessions.operator,
      'POST',
      `/2020-05-31/distribution/${DIST}/invalidation`,
      xml,
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>MalformedInput</Code>');
  });

  async function signedFetch(
    session: SessionCredentials,
    method: string,
    path: string,
    body: string,
    service = 'cloudfront',
  ): Promise<Response> {
    const url = new URL(`${endpoint}${path}`);
    const signer = new SignatureV4({
      credentials: session,
      region: 'us-east-1',
      service,
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign({
      method,
      protocol: 'http:',
      hostname: url.host,
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'text/xml' },
      body,
    });
    return fetch(url, { method, headers: signed.headers, body: method === 'GET' ? undefined : body });
  }
});
