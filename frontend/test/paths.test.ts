import { describeError } from '@/lib/errors';
import { displayFileName, folderFor, storedFileName } from '@/lib/paths';

const ID = 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

describe('paths', () => {
  test('uploads go into the user’s own folder, with the slash IAM matches on', () => {
    expect(folderFor('protected', ID)).toBe(`protected/${ID}/`);
  });

  test('stored names are unique, flat and readable again', () => {
    const stored = storedFileName('holiday/../photo\u0000.JPG', 1731000000000);
    expect(stored).toBe('1731000000000-holiday_.._photo_.JPG');
    expect(displayFileName(stored)).toBe('holiday_.._photo_.JPG');
  });
});

describe('plain-language errors', () => {
  test('an expired session asks to sign in again', () => {
    expect(describeError({ name: 'ExpiredToken' }, 'delete “a.png”')).toBe(
      'Your session has expired, so we could not delete “a.png”. Sign in again and retry.',
    );
  });

  test('AccessDenied, known only from the message, explains who may change an image', () => {
    expect(describeError(new Error('Access Denied'), 'remove this image')).toBe(
      'You are not allowed to remove this image. Only the owner of an image (or an administrator, for public images) can change it. If this is your image, sign out and sign in again.',
    );
  });

  test('a vanished object suggests a refresh', () => {
    expect(describeError({ name: 'NotFound' }, 'delete “a.png”')).toBe(
      'We could not delete “a.png”: the image is no longer there. It may have been moved or deleted; refresh to see the current list.',
    );
  });

  test('anything else keeps the detail and suggests a retry', () => {
    expect(describeError(new Error('boom'), 'upload “a.png”')).toBe(
      'Something went wrong while trying to upload “a.png” (boom). Please try again.',
    );
  });
});
