import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';

const uploadData = jest.fn();
const fetchAuthSession = jest.fn();
jest.mock('aws-amplify/storage', () => ({
  ...jest.requireActual('aws-amplify/storage'),
  uploadData: (...args: unknown[]) => uploadData(...args),
}));
jest.mock('aws-amplify/auth', () => ({
  ...jest.requireActual('aws-amplify/auth'),
  fetchAuthSession: (...args: unknown[]) => fetchAuthSession(...args),
}));

import { Uploader } from '@/components/storage/uploader';
import { MAX_FILE_COUNT, MAX_FILE_SIZE } from '@/lib/upload-rules';

const ID = 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

function file(name: string, type: string, size = 1024): File {
  const result = new File(['x'], name, { type });
  Object.defineProperty(result, 'size', { value: size });
  return result;
}

function fileInput(container: HTMLElement): HTMLInputElement {
  const input = container.querySelector('input[type="file"]');
  if (!(input instanceof HTMLInputElement)) throw new Error('no file input');
  return input;
}

function pick(input: HTMLInputElement, files: File[]) {
  fireEvent.change(input, { target: { files } });
}

beforeEach(() => {
  uploadData.mockReset();
  fetchAuthSession.mockReset();
  fetchAuthSession.mockResolvedValue({ identityId: ID });
  uploadData.mockImplementation(() => ({
    result: new Promise(() => undefined),
    state: 'IN_PROGRESS',
    pause: jest.fn(),
    resume: jest.fn(),
    cancel: jest.fn(),
  }));
});

test('tells people the limits up front and only offers images in the picker', () => {
  const { container } = render(<Uploader />);
  expect(
    screen.getByText(/JPEG, PNG, GIF, WebP or AVIF, up to 15 MB each, 10 at a time/),
  ).toBeInTheDocument();
  expect(fileInput(container)).toHaveAttribute(
    'accept',
    'image/jpeg,image/png,image/gif,image/webp,image/avif',
  );
  expect(fileInput(container)).toHaveAttribute('multiple');
});

test('uploads an image into protected/<identityId>/ with a unique name and no user metadata', async () => {
  const { container } = render(<Uploader />);
  pick(fileInput(container), [file('cat.png', 'image/png')]);
  await waitFor(() => expect(uploadData).toHaveBeenCalledTimes(1));
  const input = uploadData.mock.calls[0]?.[0] as { path: string; options: Record<string, unknown> };
  expect(input.path).toMatch(new RegExp(`^protected/${ID}/\\d{13}-cat\\.png$`));
  expect(input.options).toMatchObject({ contentType: 'image/png' });
  // The display name is the profile's now (the data API), not object metadata.
  expect(input.options).not.toHaveProperty('metadata');
});

test('rejects a selection with anything but images, naming the file, and uploads nothing', async () => {
  const { container } = render(<Uploader />);
  pick(fileInput(container), [file('cat.png', 'image/png'), file('notes.pdf', 'application/pdf')]);
  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent(
    'notes.pdf is not an image this site accepts (JPEG, PNG, GIF, WebP or AVIF)',
  );
  expect(alert).toHaveTextContent('Nothing was uploaded');
  await act(async () => undefined);
  expect(uploadData).not.toHaveBeenCalled();
  expect(screen.queryByText('cat.png')).not.toBeInTheDocument();
});

test('an image over the size limit is refused with the limit, and not uploaded', async () => {
  const { container } = render(<Uploader />);
  pick(fileInput(container), [file('huge.jpg', 'image/jpeg', MAX_FILE_SIZE + 1)]);
  expect(await screen.findByText(/Too large: images can be at most 15 MB/)).toBeInTheDocument();
  await act(async () => undefined);
  expect(uploadData).not.toHaveBeenCalled();
});

test('an image exactly at the size limit is accepted', async () => {
  const { container } = render(<Uploader />);
  pick(fileInput(container), [file('big.jpg', 'image/jpeg', MAX_FILE_SIZE)]);
  await waitFor(() => expect(uploadData).toHaveBeenCalledTimes(1));
  expect(screen.queryByText(/Too large/)).not.toBeInTheDocument();
});

test('more images than the per-batch limit start no upload and say how many are allowed', async () => {
  const { container } = render(<Uploader />);
  const files = Array.from({ length: MAX_FILE_COUNT + 1 }, (_, index) =>
    file(`img-${index}.png`, 'image/png'),
  );
  pick(fileInput(container), files);
  expect(await screen.findByText(/You can upload 10 images at a time/)).toBeInTheDocument();
  await act(async () => undefined);
  expect(uploadData).not.toHaveBeenCalled();
});

test('says which dropped files were skipped for not being images', async () => {
  render(<Uploader />);
  const dropZone = screen.getByText('Drop images here or').closest('div');
  if (!dropZone) throw new Error('no drop zone');
  fireEvent.drop(dropZone, {
    dataTransfer: { files: [file('song.mp3', 'audio/mpeg')], items: [], types: ['Files'] },
  });
  expect(await screen.findByRole('alert')).toHaveTextContent('song.mp3 was skipped: it is not an image');
});
