import { render, screen, within } from '@testing-library/react';
import type { AppConfig, ConfigResult } from '@/lib/config';

const list = jest.fn();
const getProperties = jest.fn();
jest.mock('aws-amplify/storage/server', () => ({
  list: (...args: unknown[]) => list(...args),
  getProperties: (...args: unknown[]) => getProperties(...args),
}));
// The runner would talk to Cognito for guest credentials; the operation runs with a stand-in context.
jest.mock('@/lib/amplify-server', () => ({
  serverRunner:
    () =>
    async ({ operation }: { operation: (context: unknown) => unknown }) =>
      operation({ guest: true }),
}));
const loadConfig = jest.fn<ConfigResult, []>();
jest.mock('@/lib/config', () => ({
  ...jest.requireActual('@/lib/config'),
  loadConfig: () => loadConfig(),
}));
jest.mock('next/navigation', () => ({
  useRouter: () => ({ refresh: jest.fn(), push: jest.fn() }),
  notFound: () => {
    throw new Error('NEXT_NOT_FOUND');
  },
}));

import { ImageDetail } from '@/components/gallery/image-detail';
import { PublicGallery } from '@/components/gallery/public-gallery';

const config: AppConfig = {
  source: 'outputs.json',
  mode: 'aws',
  amplify: { outputs: {} },
  region: 'eu-west-1',
  bucketName: 'uploads-bucket',
  userPoolClientId: 'client123',
  publicBaseUrl: 'https://d111111abcdef8.cloudfront.net',
};

const ID = 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

beforeEach(() => {
  list.mockReset();
  getProperties.mockReset();
  loadConfig.mockReturnValue({ ok: true, config });
  window.localStorage.clear();
});

async function renderGallery(after?: string) {
  render(await PublicGallery(after ? { after } : {}));
}

describe('public gallery', () => {
  test('lists public/ as a guest and shows each image from CloudFront with alt text', async () => {
    list.mockResolvedValue({
      items: [
        {
          path: `public/${ID}/1731000000000-sunset-over-bay.jpg`,
          lastModified: new Date('2024-11-07T10:00:00Z'),
          size: 1200,
        },
        { path: `public/${ID}/`, size: 0 },
      ],
    });
    await renderGallery();

    expect(list).toHaveBeenCalledWith({ guest: true }, { path: 'public/', options: { pageSize: 24 } });
    const grid = screen.getByRole('list', { name: 'Public images' });
    const images = within(grid).getAllByRole('img');
    expect(images).toHaveLength(1);
    expect(images[0]).toHaveAttribute('alt', 'sunset over bay');
    expect(images[0]).toHaveAttribute(
      'src',
      `https://d111111abcdef8.cloudfront.net/${encodeURIComponent(ID)}/1731000000000-sunset-over-bay.jpg`,
    );
    expect(images[0]?.getAttribute('src')).not.toMatch(/X-Amz-|amazonaws\.com/);
    const link = within(grid).getByRole('link');
    expect(link).toHaveAttribute('href', `/p/${encodeURIComponent(ID)}/1731000000000-sunset-over-bay.jpg`);
    expect(link).toHaveTextContent('sunset-over-bay.jpg');
    expect(link).toHaveTextContent('Nov 7, 2024');
  });

  test('offers the next page when S3 has more', async () => {
    list.mockResolvedValue({ items: [{ path: `public/${ID}/1731000000000-a.png` }], nextToken: 'token/+=' });
    await renderGallery();
    expect(screen.getByRole('link', { name: /More images/ })).toHaveAttribute(
      'href',
      '/?after=token%2F%2B%3D',
    );
    expect(screen.queryByRole('link', { name: /First page/ })).not.toBeInTheDocument();
  });

  test('passes the page token on and links back to the first page', async () => {
    list.mockResolvedValue({ items: [{ path: `public/${ID}/1731000000000-a.png` }] });
    await renderGallery('abc');
    expect(list).toHaveBeenCalledWith(
      { guest: true },
      { path: 'public/', options: { pageSize: 24, nextToken: 'abc' } },
    );
    expect(screen.getByRole('link', { name: /First page/ })).toHaveAttribute('href', '/');
    expect(screen.queryByRole('link', { name: /More images/ })).not.toBeInTheDocument();
  });

  test('says so when nothing is public yet', async () => {
    list.mockResolvedValue({ items: [] });
    await renderGallery();
    expect(screen.getByRole('heading', { name: 'No public images yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Upload an image' })).toHaveAttribute('href', '/me');
    expect(screen.queryByRole('list', { name: 'Public images' })).not.toBeInTheDocument();
  });

  test('explains a storage failure instead of showing an empty page', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    list.mockRejectedValue(Object.assign(new Error('Network error'), { name: 'NetworkError' }));
    await renderGallery();
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The gallery could not be loaded');
    expect(alert).toHaveTextContent('check that the sandbox is running');
    expect(within(alert).getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/');
  });

  test('shows the setup steps when the outputs file is missing', async () => {
    loadConfig.mockReturnValue({
      ok: false,
      problem: {
        summary: 'No outputs file at outputs.sandbox.json.',
        details: ['needs Region'],
        file: 'outputs.sandbox.json',
      },
    });
    await renderGallery();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(
      'No outputs file at outputs.sandbox.json.',
    );
    expect(screen.getByText('pnpm start')).toBeInTheDocument();
    expect(screen.getByText('pnpm cdk deploy --all --outputs-file ./outputs.json')).toBeInTheDocument();
    expect(list).not.toHaveBeenCalled();
  });
});

function idToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256' })}.${encode(claims)}.signature`;
}

function signIn(groups: string[]) {
  window.localStorage.setItem('CognitoIdentityServiceProvider.client123.LastAuthUser', 'user-sub');
  window.localStorage.setItem(
    'CognitoIdentityServiceProvider.client123.user-sub.idToken',
    idToken({ sub: 'user-sub', 'cognito:groups': groups, exp: 4102444800 }),
  );
}

describe('moderation', () => {
  beforeEach(() => {
    list.mockResolvedValue({ items: [{ path: `public/${ID}/1731000000000-a.png` }] });
  });

  test('guests get no remove buttons', async () => {
    await renderGallery();
    expect(screen.queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument();
  });

  test('signed-in users outside admins get none either', async () => {
    signIn(['editors']);
    await renderGallery();
    expect(screen.queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument();
  });

  test('admins can remove each image', async () => {
    signIn(['admins']);
    await renderGallery();
    expect(await screen.findByRole('button', { name: 'Remove a.png (admin)' })).toBeInTheDocument();
  });
});

describe('image detail', () => {
  test('shows the uploader and the date from the object metadata', async () => {
    getProperties.mockResolvedValue({
      path: `public/${ID}/1731000000000-cat.png`,
      lastModified: new Date('2024-11-07T10:00:00Z'),
      size: 2048,
      metadata: { 'display-name': encodeURIComponent('Zoë Q') },
    });
    render(await ImageDetail({ segments: [ID, '1731000000000-cat.png'] }));
    expect(getProperties).toHaveBeenCalledWith(
      { guest: true },
      { path: `public/${ID}/1731000000000-cat.png` },
    );
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('cat.png');
    expect(screen.getByRole('img')).toHaveAttribute('alt', 'cat, shared by Zoë Q');
    expect(screen.getByText('Zoë Q')).toBeInTheDocument();
    expect(screen.getByText('Nov 7, 2024')).toBeInTheDocument();
  });

  test('a missing image is a 404', async () => {
    getProperties.mockRejectedValue(Object.assign(new Error('Not Found'), { name: 'NotFound' }));
    await expect(ImageDetail({ segments: [ID, 'gone.png'] })).rejects.toThrow('NEXT_NOT_FOUND');
  });

  test('paths outside public/<id>/ are a 404 without asking S3', async () => {
    await expect(ImageDetail({ segments: ['only-one-segment'] })).rejects.toThrow('NEXT_NOT_FOUND');
    expect(getProperties).not.toHaveBeenCalled();
  });
});
