import { render, screen, within } from '@testing-library/react';
import type { ImageRecord } from '@/lib/api/operations';
import { ApiError } from '@/lib/api/operations';
import type { AppConfig, ConfigResult } from '@/lib/config';
import { IMAGE_ID, imageRecord, OWNER_ID } from './helpers/image-record';

// The guest client's own wire behaviour is test/api-server.test.ts's; here the pages get its answers.
const publicImages = jest.fn();
const publicImage = jest.fn();
jest.mock('@/lib/api/server', () => ({
  guestApi: () => ({
    publicImages: (...args: unknown[]) => publicImages(...args),
    publicImage: (...args: unknown[]) => publicImage(...args),
  }),
}));
const loadConfig = jest.fn<ConfigResult, []>();
jest.mock('@/lib/config', () => ({
  ...jest.requireActual('@/lib/config'),
  loadConfig: () => loadConfig(),
}));

import type { GetServerSidePropsContext } from 'next';
import GalleryPage, { getServerSideProps as galleryProps } from '@/pages/index';
import ImagePage, { getServerSideProps as imageProps } from '@/pages/p/[...key]';
import { decodeSegments, GUEST_CACHE_CONTROL, UNCACHED } from '@/lib/public-pages';
import ModeratePage from '@/app/me/moderate/[...key]/page';

const BASE = 'https://d111111abcdef8.cloudfront.net';
const config: AppConfig = {
  source: 'outputs.json',
  mode: 'aws',
  amplify: { outputs: {} },
  region: 'eu-west-1',
  bucketName: 'uploads-bucket',
  userPoolClientId: 'client123',
  publicBaseUrl: BASE,
};

const ID = OWNER_ID;

function record(imageId: string, title: string | null, overrides: Partial<ImageRecord> = {}): ImageRecord {
  return imageRecord({
    imageId,
    ownerId: ID,
    title,
    ownerName: null,
    altText: null,
    publishedAt: '2024-11-07T10:00:00.000Z',
    ...overrides,
  });
}
const rendition = (imageId: string, size: number) => `${BASE}/${ID}/${imageId}/0001/${size}.webp`;

beforeEach(() => {
  publicImages.mockReset();
  publicImage.mockReset();
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

/** A response that keeps what the page set on it. */
function response() {
  const headers: Record<string, string> = {};
  return {
    statusCode: 200,
    headers,
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
  };
}

/** The status code and headers the page answers with. */
async function renderGallery(after?: string, cookies?: Record<string, string>) {
  const res = response();
  const result = await galleryProps({
    ...context({ query: after ? { after } : {}, cookies }),
    res,
  } as unknown as GetServerSidePropsContext);
  if (!('props' in result)) throw new Error('the gallery always renders');
  render(<GalleryPage {...await result.props} />);
  return res;
}

async function renderImage(key: string[], cookies?: Record<string, string>) {
  const res = response();
  const result = await imageProps({
    ...context({ params: { key }, cookies }),
    res,
  } as unknown as GetServerSidePropsContext);
  if (!('props' in result)) throw new Error('the detail page always renders');
  render(<ImagePage {...await result.props} />);
  return res;
}

describe('public gallery', () => {
  test('shows the public feed newest first as the API returns it, each card a rendition from the CDN', async () => {
    publicImages.mockResolvedValue({
      items: [
        record(IMAGE_ID, 'Sunset over the bay', { altText: 'Orange sky above a calm bay', ownerName: 'Ada' }),
        record('BBBBBBBBBBBBBBBBBBBBBB', null),
      ],
      nextToken: null,
    });
    const res = await renderGallery();

    expect(publicImages).toHaveBeenCalledWith({});
    const grid = screen.getByRole('list', { name: 'Public images' });
    const images = within(grid).getAllByRole('img');
    expect(images.map((image) => image.getAttribute('alt'))).toEqual([
      'Orange sky above a calm bay',
      'Photo, no description given',
    ]);
    expect(images[0]).toHaveAttribute('src', rendition(IMAGE_ID, 320));
    expect(images[0]).toHaveAttribute('srcset', expect.stringContaining(`${rendition(IMAGE_ID, 640)} 640w`));
    expect(images[0]).toHaveAttribute('loading', 'eager');
    for (const image of images) expect(image.getAttribute('src')).not.toMatch(/X-Amz-|amazonaws\.com/);
    const [first] = within(grid).getAllByRole('link');
    expect(first).toHaveAttribute('href', `/p/${IMAGE_ID}`);
    expect(first).toHaveTextContent('Sunset over the bay');
    expect(first).toHaveTextContent('by Ada');
    expect(within(grid).getAllByRole('link')[1]).not.toHaveTextContent('by ');
    expect(res.statusCode).toBe(200);
  });

  test('a CDN may cache the guests’ gallery briefly and serve it stale while it refetches', async () => {
    publicImages.mockResolvedValue({ items: [record(IMAGE_ID, 'a')], nextToken: null });
    const res = await renderGallery();
    expect(res.headers['cache-control']).toBe(GUEST_CACHE_CONTROL);
    expect(GUEST_CACHE_CONTROL).toMatch(/^public, s-maxage=\d+, stale-while-revalidate=\d+$/);
  });

  test('offers the next page by cursor when the API has more', async () => {
    publicImages.mockResolvedValue({ items: [record(IMAGE_ID, 'a')], nextToken: 'token/+=' });
    await renderGallery();
    expect(screen.getByRole('link', { name: /More images/ })).toHaveAttribute(
      'href',
      '/?after=token%2F%2B%3D',
    );
    expect(screen.queryByRole('link', { name: /First page/ })).not.toBeInTheDocument();
  });

  test('passes the cursor on and links back to the first page', async () => {
    publicImages.mockResolvedValue({ items: [record(IMAGE_ID, 'a')], nextToken: null });
    await renderGallery('abc');
    expect(publicImages).toHaveBeenCalledWith({ nextToken: 'abc' });
    expect(screen.getByRole('link', { name: /First page/ })).toHaveAttribute('href', '/');
    expect(screen.queryByRole('link', { name: /More images/ })).not.toBeInTheDocument();
  });

  test('says so when nothing is public yet', async () => {
    publicImages.mockResolvedValue({ items: [], nextToken: null });
    expect((await renderGallery()).statusCode).toBe(200);
    expect(screen.getByRole('heading', { name: 'No public images yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Upload an image' })).toHaveAttribute('href', '/me');
    expect(screen.queryByRole('list', { name: 'Public images' })).not.toBeInTheDocument();
  });

  test('explains an API failure instead of showing an empty page, and no cache keeps it', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    publicImages.mockRejectedValue(new ApiError('NetworkError', 'fetch failed'));
    const res = await renderGallery();
    expect(res.statusCode).toBe(503);
    expect(res.headers['cache-control']).toBe(UNCACHED);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The gallery could not be loaded');
    expect(alert).toHaveTextContent('check that the sandbox is running');
    expect(within(alert).getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/');
  });

  test('a cursor the API did not sign is a 400 that leads back to the first page', async () => {
    publicImages.mockRejectedValue(new ApiError('BadRequest', 'nextToken is not valid'));
    expect((await renderGallery('forged')).statusCode).toBe(400);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('This link to a later page of the gallery is not valid.');
    expect(within(alert).getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/');
  });

  test('shows the setup steps when the outputs file is missing, without server paths or values', async () => {
    loadConfig.mockReturnValue({
      ok: false,
      problem: {
        summary: 'The outputs file /srv/private/app/outputs.json cannot be used.',
        details: ['PublicBaseUrl "https://secret-token-123.example" is not a URL'],
        file: '/srv/private/app/outputs.json',
      },
    });
    expect((await renderGallery()).statusCode).toBe(503);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('This site is not set up yet.');
    expect(document.body).not.toHaveTextContent('/srv/private');
    expect(document.body).not.toHaveTextContent('secret-token-123');
    expect(screen.getByText('pnpm start')).toBeInTheDocument();
    expect(screen.getByText('pnpm cdk deploy --all --outputs-file ./outputs.json')).toBeInTheDocument();
    expect(publicImages).not.toHaveBeenCalled();
  });
});

describe('moderation links', () => {
  beforeEach(() => {
    publicImages.mockResolvedValue({ items: [record(IMAGE_ID, 'Cat')], nextToken: null });
  });

  test('guests get none', async () => {
    await renderGallery();
    expect(screen.queryByRole('link', { name: /Moderate/ })).not.toBeInTheDocument();
  });

  test('a moderator cookie with any other value gives none either', async () => {
    await renderGallery(undefined, { 'snapshelf-moderator': 'yes' });
    expect(screen.queryByRole('link', { name: /Moderate/ })).not.toBeInTheDocument();
  });

  test('admins get one per image, and their page is never stored in a shared cache', async () => {
    const res = await renderGallery(undefined, { 'snapshelf-moderator': '1' });
    expect(screen.getByRole('link', { name: 'Moderate Cat (admin)' })).toHaveAttribute(
      'href',
      `/me/moderate/${IMAGE_ID}`,
    );
    expect(res.headers['cache-control']).toBe(UNCACHED);
  });
});

describe('image detail', () => {
  test('shows the largest sensible rendition, never the original, with title, description, date and size', async () => {
    publicImage.mockResolvedValue(
      record(IMAGE_ID, 'Cat', { description: 'On the sofa.', altText: 'A grey cat asleep' }),
    );
    const res = await renderImage([IMAGE_ID]);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(GUEST_CACHE_CONTROL);
    expect(publicImage).toHaveBeenCalledWith({ imageId: IMAGE_ID });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Cat');
    const img = screen.getByRole('img', { name: 'A grey cat asleep' });
    expect(img).toHaveAttribute('src', rendition(IMAGE_ID, 1280));
    expect(img).toHaveAttribute('srcset', expect.stringContaining(`${rendition(IMAGE_ID, 2048)} 2048w`));
    expect(img).toHaveAttribute('width', '1280');
    expect(screen.getByText('On the sofa.')).toBeInTheDocument();
    expect(screen.getByText('Nov 7, 2024')).toBeInTheDocument();
    expect(screen.getByText('4000 × 3000 px')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Open large size/ })).toHaveAttribute(
      'href',
      rendition(IMAGE_ID, 2048),
    );
    expect(document.body.innerHTML).not.toMatch(/protected\/|private\/|originalKey/);
    // The record has no owner name: no "by" line.
    expect(screen.queryByText(/^by /)).toBeNull();
    expect(screen.queryByRole('link', { name: /Moderate/ })).not.toBeInTheDocument();
  });
  test('names the uploader under the title, as text however hostile the name', async () => {
    publicImage.mockResolvedValue(record(IMAGE_ID, 'Cat', { ownerName: '<img src=x onerror=alert(1)>' }));
    await renderImage([IMAGE_ID]);
    expect(screen.getByText('by <img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(document.querySelectorAll('img')).toHaveLength(1);
    expect(document.querySelector('[onerror]')).toBeNull();
  });

  test('admins get the moderation link here too', async () => {
    publicImage.mockResolvedValue(record(IMAGE_ID, 'Cat'));
    await renderImage([IMAGE_ID], { 'snapshelf-moderator': '1' });
    expect(screen.getByRole('link', { name: 'Moderate Cat (admin)' })).toHaveAttribute(
      'href',
      `/me/moderate/${IMAGE_ID}`,
    );
  });

  test('an image the API does not return as public is a 404 with a way back', async () => {
    publicImage.mockResolvedValue(null);
    expect((await renderImage(['BBBBBBBBBBBBBBBBBBBBBB'])).statusCode).toBe(404);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Nothing here');
    expect(screen.getByRole('link', { name: 'Go to the gallery' })).toHaveAttribute('href', '/');
  });

  test('a record without a rendition the CDN serves is a 404, not a broken page', async () => {
    publicImage.mockResolvedValue(
      record(IMAGE_ID, 'Cat', {
        renditions: [{ size: 320, width: 320, height: 240, key: `renditions/protected/${ID}/x/1/320.webp` }],
      }),
    );
    expect((await renderImage([IMAGE_ID])).statusCode).toBe(404);
  });

  test('anything but one image id is a 404 without asking the API', async () => {
    for (const key of [[ID, '1731000000000-cat.png'], ['short'], [`${IMAGE_ID}/`], ['../me']]) {
      expect((await renderImage(key)).statusCode).toBe(404);
    }
    expect(publicImage).not.toHaveBeenCalled();
  });

  test('an API failure is explained, not a 404', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    publicImage.mockRejectedValue(new ApiError('UnauthorizedException', 'Not Authorized'));
    expect((await renderImage([IMAGE_ID])).statusCode).toBe(503);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The image could not be loaded');
    expect(alert).toHaveTextContent('refused to read this image for guests');
  });
});

describe('the moderation page', () => {
  const moderate = (key: string[]) => ModeratePage({ params: Promise.resolve({ key }) });

  test('offers the public image the id names, with a rendition as preview', async () => {
    publicImage.mockResolvedValue(record(IMAGE_ID, 'Cat', { altText: 'A grey cat' }));
    const page = await moderate([IMAGE_ID]);
    expect(publicImage).toHaveBeenCalledWith({ imageId: IMAGE_ID });
    expect(page.props).toEqual({
      image: {
        imageId: IMAGE_ID,
        src: rendition(IMAGE_ID, 640),
        alt: 'A grey cat',
        href: `/p/${IMAGE_ID}`,
        title: 'Cat',
      },
    });
  });

  test('a missing image, or segments that are no image id, are a 404', async () => {
    publicImage.mockResolvedValue(null);
    await expect(moderate(['BBBBBBBBBBBBBBBBBBBBBB'])).rejects.toThrow('NEXT_HTTP_ERROR_FALLBACK;404');
    await expect(moderate([ID, '..'])).rejects.toThrow('NEXT_HTTP_ERROR_FALLBACK;404');
    await expect(moderate(['100%'])).rejects.toThrow('NEXT_HTTP_ERROR_FALLBACK;404');
    expect(publicImage).toHaveBeenCalledTimes(1);
  });

  test('an API failure is explained', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    publicImage.mockRejectedValue(new ApiError('UnauthorizedException', 'Not Authorized'));
    render(await moderate([IMAGE_ID]));
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
