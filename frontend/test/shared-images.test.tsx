import { render, screen } from '@testing-library/react';

const list = jest.fn();
jest.mock('aws-amplify/storage', () => ({ list: (...args: unknown[]) => list(...args) }));
jest.mock('@aws-amplify/ui-react-storage', () => ({
  StorageImage: ({ alt, path }: { alt: string; path: string }) => <img alt={alt} data-path={path} />,
}));

import { SharedImages } from '@/components/account/shared-images';
import { listSharedImages } from '@/lib/shared-images';

const ME = 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const ANA = 'eu-west-1:11111111-2222-4333-8444-555555555555';

beforeEach(() => {
  list
    .mockReset()
    .mockImplementation(async ({ path }: { path: (input: { identityId?: string }) => string }) => {
      expect(path({ identityId: ME })).toBe('protected/');
      return {
        items: [
          { path: `protected/${ANA}/1731000000000-old.png`, lastModified: new Date('2024-11-07') },
          { path: `protected/${ME}/1731000000001-mine.png`, lastModified: new Date('2024-11-08') },
          { path: `protected/${ANA}/`, lastModified: new Date('2024-11-08') },
          { path: `protected/${ANA}/1731000000002-new.png`, lastModified: new Date('2024-11-09') },
        ],
      };
    });
});

test("lists other people's shared images, newest first, without the caller's own", async () => {
  await expect(listSharedImages()).resolves.toEqual([
    {
      path: `protected/${ANA}/1731000000002-new.png`,
      fileName: '1731000000002-new.png',
      lastModified: new Date('2024-11-09'),
    },
    {
      path: `protected/${ANA}/1731000000000-old.png`,
      fileName: '1731000000000-old.png',
      lastModified: new Date('2024-11-07'),
    },
  ]);
  expect(list).toHaveBeenCalledWith({ path: expect.any(Function), options: { listAll: true } });
});

test('shows them read only', async () => {
  render(<SharedImages version={0} />);
  expect(await screen.findByRole('img', { name: 'new' })).toHaveAttribute(
    'data-path',
    `protected/${ANA}/1731000000002-new.png`,
  );
  expect(screen.getByText('old.png')).toBeInTheDocument();
  expect(screen.queryByText('mine.png')).not.toBeInTheDocument();
  expect(screen.queryByRole('button')).not.toBeInTheDocument();
});

test('says so when nobody shared anything', async () => {
  list.mockResolvedValue({ items: [] });
  render(<SharedImages version={0} />);
  expect(await screen.findByText(/Nobody else has shared images/)).toBeInTheDocument();
});
