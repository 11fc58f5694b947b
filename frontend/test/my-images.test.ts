const copy = jest.fn();
const remove = jest.fn();
const list = jest.fn();
jest.mock('aws-amplify/storage', () => ({
  copy: (...args: unknown[]) => copy(...args),
  remove: (...args: unknown[]) => remove(...args),
  list: (...args: unknown[]) => list(...args),
}));

import { changeVisibility, listOwnImages, type OwnImage } from '@/lib/my-images';

const ID = 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const image: OwnImage = {
  path: `protected/${ID}/1731000000000-cat.png`,
  visibility: 'protected',
  fileName: '1731000000000-cat.png',
  eTag: '"abc"',
};

beforeEach(() => {
  copy.mockReset().mockResolvedValue({ path: 'ignored' });
  remove.mockReset().mockResolvedValue({ path: 'ignored' });
  list.mockReset();
});

describe('changing visibility', () => {
  test('copies to the new folder, guarded by the listed ETag, then deletes the original', async () => {
    await expect(changeVisibility(image, 'public')).resolves.toEqual({
      kind: 'moved',
      path: `public/${ID}/1731000000000-cat.png`,
    });
    expect(copy).toHaveBeenCalledWith({
      source: { path: image.path, eTag: '"abc"' },
      destination: { path: `public/${ID}/1731000000000-cat.png` },
    });
    expect(remove).toHaveBeenCalledWith({ path: image.path });
    expect(copy.mock.invocationCallOrder[0]).toBeLessThan(remove.mock.invocationCallOrder[0] ?? 0);
  });

  test('a failed copy deletes nothing', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    copy.mockRejectedValue(denied);
    await expect(changeVisibility(image, 'private')).resolves.toEqual({ kind: 'copy-failed', error: denied });
    expect(remove).not.toHaveBeenCalled();
  });

  test('a failed delete after a good copy is reported with the new path', async () => {
    const expired = Object.assign(new Error('expired'), { name: 'ExpiredToken' });
    remove.mockRejectedValue(expired);
    await expect(changeVisibility(image, 'private')).resolves.toEqual({
      kind: 'delete-failed',
      path: `private/${ID}/1731000000000-cat.png`,
      error: expired,
    });
  });
});

test('lists all three folders of the signed-in identity, newest first', async () => {
  list.mockImplementation(async ({ path }: { path: (input: { identityId?: string }) => string }) => {
    const folder = path({ identityId: ID });
    const items: Record<string, { path: string; lastModified: Date }[]> = {
      [`private/${ID}/`]: [{ path: `private/${ID}/1-old.png`, lastModified: new Date('2024-01-01') }],
      [`protected/${ID}/`]: [{ path: `protected/${ID}/2-new.png`, lastModified: new Date('2024-03-01') }],
      [`public/${ID}/`]: [
        { path: `public/${ID}/3-mid.png`, lastModified: new Date('2024-02-01') },
        { path: `public/${ID}/`, lastModified: new Date('2024-05-01') },
      ],
    };
    return { items: items[folder] ?? [] };
  });
  const images = await listOwnImages();
  expect(images.map((entry) => [entry.visibility, entry.fileName])).toEqual([
    ['protected', '2-new.png'],
    ['public', '3-mid.png'],
    ['private', '1-old.png'],
  ]);
  expect(list).toHaveBeenCalledTimes(3);
});
