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

import type { GetServerSidePropsContext } from 'next';
import GalleryPage, { getServerSideProps as galleryProps } from '@/pages/index';
import ImagePage, { getServerSideProps as imageProps } from '@/pages/p/[...key]';
import { decodeSegments } from '@/lib/public-pages';
import ModeratePage from '@/app/me/moderate/[...key]/page';

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
});

/** What Next hands getServerSideProps, reduced to what the pages read. */
function context(
  parts: {
    query?: Record<string, string>;
    params?: Record<string, string[]>;
    cookies?: Record<string, string>;
  } = {},
): GetServerSidePropsContext {
  return {
    query: parts.query ?? {},
    params: parts.params,
    req: { cookies: parts.cookies ?? {} },
  } as unknown as GetServerSidePropsContext;
}

/** The status code the page answers with. */
async function renderGallery(after?: string, cookies?: Record<string, string>) {
  const res = { statusCode: 200 };
  const result = await galleryProps({
    ...context({ query: after ? { after } : {}, cookies }),
    res,
  } as GetServerSidePropsContext);
  if (!('props' in result)) throw new Error('the gallery always renders');
  render(<GalleryPage {...await result.props} />);
  return res.statusCode;
}

/** The status code the page answers with. */
async function renderImage(key: string[], cookies?: Record<string, string>) {
  const res = { statusCode: 200 };
  const result = await imageProps({
    ...context({ params: { key }, cookies }),
    res,
  } as GetServerSidePropsContext);
  if (!('props' in result)) throw new Error('the detail page always renders');
  render(<ImagePage {...await result.props} />);
  return res.statusCode;
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
    expect(await renderGallery()).toBe(200);
    expect(screen.getByRole('heading', { name: 'No public images yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Upload an image' })).toHaveAttribute('href', '/me');
    expect(screen.queryByRole('list', { name: 'Public images' })).not.toBeInTheDocument();
  });

  test('explains a storage failure instead of showing an empty page', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    list.mockRejectedValue(Object.assign(new Error('Network error'), { name: 'NetworkError' }));
    expect(await renderGallery()).toBe(503);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The gallery could not be loaded');
    expect(alert).toHaveTextContent('check that the sandbox is running');
    expect(within(alert).getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/');
  });

  test('a page token S3 did not issue is a 400 that leads back to the first page', async () => {
    list.mockRejectedValue(
      Object.assign(new Error('The continuation token provided is incorrect'), { name: 'InvalidArgument' }),
    );
    expect(await renderGallery('forged')).toBe(400);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('This link to a later page of the gallery is not valid.');
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
    expect(await renderGallery()).toBe(503);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(
      'No outputs file at outputs.sandbox.json.',
    );
    expect(screen.getByText('pnpm start')).toBeInTheDocument();
    expect(screen.getByText('pnpm cdk deploy --all --outputs-file ./outputs.json')).toBeInTheDocument();
    expect(list).not.toHaveBeenCalled();
  });
});

describe('moderation', () => {
  beforeEach(() => {
    list.mockResolvedValue({ items: [{ path: `public/${ID}/1731000000000-a.png` }] });
  });

  test('guests get no remove links', async () => {
    await renderGallery();
    expect(screen.queryByRole('link', { name: /Remove/ })).not.toBeInTheDocument();
  });

  test('a moderator cookie with any other value gives none either', async () => {
    await renderGallery(undefined, { 'snapshelf-moderator': 'yes' });
    expect(screen.queryByRole('link', { name: /Remove/ })).not.toBeInTheDocument();
  });

  test('admins get a remove link per image, to the confirmation page in the signed-in area', async () => {
    await renderGallery(undefined, { 'snapshelf-moderator': '1' });
    expect(screen.getByRole('link', { name: 'Remove a.png (admin)' })).toHaveAttribute(
      'href',
      `/me/moderate/${encodeURIComponent(ID)}/1731000000000-a.png`,
    );
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
    expect(await renderImage([ID, '1731000000000-cat.png'])).toBe(200);
    expect(getProperties).toHaveBeenCalledWith(
      { guest: true },
      { path: `public/${ID}/1731000000000-cat.png` },
    );
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('cat.png');
    expect(screen.getByRole('img')).toHaveAttribute('alt', 'cat, shared by Zoë Q');
    expect(screen.getByText('Zoë Q')).toBeInTheDocument();
    expect(screen.getByText('Nov 7, 2024')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Remove/ })).not.toBeInTheDocument();
  });

  test('admins get the remove link here too', async () => {
    getProperties.mockResolvedValue({ path: `public/${ID}/1731000000000-cat.png`, metadata: {} });
    await renderImage([ID, '1731000000000-cat.png'], { 'snapshelf-moderator': '1' });
    expect(screen.getByRole('link', { name: 'Remove cat.png (admin)' })).toHaveAttribute(
      'href',
      `/me/moderate/${encodeURIComponent(ID)}/1731000000000-cat.png`,
    );
    expect(screen.getByText('Anonymous')).toBeInTheDocument();
  });

  test('a missing image is a 404 with a way back', async () => {
    getProperties.mockRejectedValue(Object.assign(new Error('Not Found'), { name: 'NotFound' }));
    expect(await renderImage([ID, 'gone.png'])).toBe(404);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Nothing here');
    expect(screen.getByRole('link', { name: 'Go to the gallery' })).toHaveAttribute('href', '/');
  });

  test('paths outside public/<id>/ are a 404 without asking S3', async () => {
    expect(await renderImage(['only-one-segment'])).toBe(404);
    expect(getProperties).not.toHaveBeenCalled();
  });

  test('a storage failure is explained, not a 404', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    getProperties.mockRejectedValue(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    expect(await renderImage([ID, '1731000000000-cat.png'])).toBe(503);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The image could not be loaded');
    expect(alert).toHaveTextContent('refused to read this image for guests');
  });
});

describe('the moderation page', () => {
  const moderate = (key: string[]) => ModeratePage({ params: Promise.resolve({ key }) });

  test('confirms the public image the percent-encoded segments name', async () => {
    getProperties.mockResolvedValue({ path: `public/${ID}/1731000000000-cat.png`, metadata: {} });
    const page = await moderate([encodeURIComponent(ID), '1731000000000-cat.png']);
    expect(getProperties).toHaveBeenCalledWith(
      { guest: true },
      { path: `public/${ID}/1731000000000-cat.png` },
    );
    expect(page.props).toEqual({
      image: {
        path: `public/${ID}/1731000000000-cat.png`,
        url: `https://d111111abcdef8.cloudfront.net/${encodeURIComponent(ID)}/1731000000000-cat.png`,
        href: `/p/${encodeURIComponent(ID)}/1731000000000-cat.png`,
        fileName: 'cat.png',
        title: 'cat',
      },
    });
  });

  test('a missing image, or segments that are no image path, are a 404', async () => {
    getProperties.mockRejectedValue(Object.assign(new Error('Not Found'), { name: 'NotFound' }));
    await expect(moderate([encodeURIComponent(ID), 'gone.png'])).rejects.toThrow(
      'NEXT_HTTP_ERROR_FALLBACK;404',
    );
    await expect(moderate([ID, '..'])).rejects.toThrow('NEXT_HTTP_ERROR_FALLBACK;404');
    await expect(moderate([ID, '100%.png'])).rejects.toThrow('NEXT_HTTP_ERROR_FALLBACK;404');
    expect(getProperties).toHaveBeenCalledTimes(1);
  });

  test('a storage failure is explained', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    getProperties.mockRejectedValue(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    render(await moderate([ID, '1731000000000-cat.png']));
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The image could not be loaded');
    expect(alert).toHaveTextContent('refused to read this image for guests');
  });
});

describe('App Router segments (the moderation page)', () => {
  test('are decoded once; malformed encoding is refused rather than guessed', () => {
    expect(decodeSegments(['eu-west-1%3Aabc', '100%25%20sure.png'])).toEqual([
      'eu-west-1:abc',
      '100% sure.png',
    ]);
    expect(decodeSegments(['eu-west-1%3Aabc', '100%.png'])).toBeUndefined();
  });
});
