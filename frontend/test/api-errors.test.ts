/** @jest-environment node */
import { ApiError } from '@/lib/api/operations';
import { NO_DATA_API } from '@/lib/api/server';
import { describeError } from '@/lib/errors';

describe('data API errors, said to people', () => {
  test.each(['Unauthorized', 'UnauthorizedException'])('%s: the owner may, others may not', (type) => {
    expect(describeError(new ApiError(type, 'This image is not yours.'), 'delete “Harbour”')).toMatch(
      /^You are not allowed to delete “Harbour”\. Only the owner/,
    );
  });

  test('NotFound: the image is gone', () => {
    expect(describeError(new ApiError('NotFound', 'No such image.'), 'edit “Harbour”')).toMatch(
      /^We could not edit “Harbour”: the image is no longer there/,
    );
  });

  test('BadRequest: the api function’s words name the broken limit', () => {
    expect(
      describeError(new ApiError('BadRequest', 'title may be at most 120 characters'), 'save the title'),
    ).toBe('We could not save the title: title may be at most 120 characters');
  });

  test('NetworkError: check the connection', () => {
    expect(describeError(new ApiError('NetworkError', 'fetch failed'), 'load your images')).toMatch(
      /Check your connection/,
    );
  });

  test('a guest is told what to do when the site has no data API', () => {
    expect(describeError(new ApiError('NotConfigured', NO_DATA_API), 'list public images', 'guest')).toBe(
      NO_DATA_API,
    );
  });
});
