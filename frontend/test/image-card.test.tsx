import { render, screen, within } from '@testing-library/react';
import { GRID_SIZES, ImageCard } from '@/components/gallery/image-card';
import { Pagination } from '@/components/gallery/gallery-states';
import type { ImageRecord } from '@/lib/api/operations';
import { altText, picture, placeholderColour, publishedUrl } from '@/lib/api/renditions';
import { imageRecord, OWNER_ID } from './helpers/image-record';

const BASE = 'https://d111111abcdef8.cloudfront.net';
const OWNER = OWNER_ID;
const IMAGE = imageRecord();

const urlOf = (k: string) => publishedUrl(BASE, k);

function renderCard(image: ImageRecord = IMAGE) {
  render(
    <ul>
      <ImageCard image={image} href="/p/AAAAAAAAAAAAAAAAAAAAAA" urlOf={urlOf} />
    </ul>,
  );
  return screen.getByRole('listitem');
}

describe('a gallery card', () => {
  test('offers every rendition in srcset, starts from the 320-px one and says its size', () => {
    const img = within(renderCard()).getByRole('img');
    expect(img).toHaveAttribute('src', `${BASE}/${OWNER}/AAAAAAAAAAAAAAAAAAAAAA/0001/320.webp`);
    expect(img.getAttribute('srcset')?.split(', ')).toEqual(
      [320, 640, 1280, 2048].map(
        (size) => `${BASE}/${OWNER}/AAAAAAAAAAAAAAAAAAAAAA/0001/${size}.webp ${size}w`,
      ),
    );
    expect(img).toHaveAttribute('sizes', GRID_SIZES);
    expect(img).toHaveAttribute('width', '320');
    expect(img).toHaveAttribute('height', '240');
    expect(img).toHaveAttribute('loading', 'lazy');
  });

  test('shows the placeholder colour behind the image', () => {
    const img = within(renderCard()).getByRole('img');
    expect(img.parentElement).toHaveStyle({ backgroundColor: '#8899aa' });
  });

  test('a placeholder that is not a colour is left out, not put into the style', () => {
    const img = within(
      renderCard({ ...IMAGE, placeholder: 'red; background-image: url(https://evil.example/)' }),
    ).getByRole('img');
    expect(img.parentElement).not.toHaveAttribute('style');
  });

  test('shows the title and the uploader, and links to the detail page', () => {
    const card = renderCard();
    expect(within(card).getByRole('link')).toHaveAttribute('href', '/p/AAAAAAAAAAAAAAAAAAAAAA');
    expect(card).toHaveTextContent('Harbour at dawn');
    expect(card).toHaveTextContent('by Ada');
  });

  test('uses the alt text the owner wrote', () => {
    expect(within(renderCard()).getByRole('img')).toHaveAccessibleName(
      'Fishing boats moored in a calm harbour',
    );
  });

  test('without alt text, says what it can from the title and uploader', () => {
    const card = renderCard({ ...IMAGE, altText: '  ' });
    expect(within(card).getByRole('img')).toHaveAccessibleName('Photo: Harbour at dawn by Ada');
  });

  test('without title or uploader, says “Untitled” and describes the lack', () => {
    const card = renderCard({ ...IMAGE, altText: null, title: null, ownerName: null });
    expect(card).toHaveTextContent('Untitled');
    expect(card).not.toHaveTextContent('by ');
    expect(within(card).getByRole('img')).toHaveAccessibleName('Photo, no description given');
  });

  test('a name of spaces is no name', () => {
    expect(renderCard({ ...IMAGE, ownerName: '   ' })).not.toHaveTextContent('by ');
  });

  test('a hostile name is shown as text, never as markup', () => {
    const card = renderCard({ ...IMAGE, altText: null, ownerName: '<b>x</b><img src=x onerror=alert(1)>' });
    expect(card).toHaveTextContent('by <b>x</b><img src=x onerror=alert(1)>');
    expect(card.querySelector('b, [onerror]')).toBeNull();
    expect(within(card).getAllByRole('img')).toHaveLength(1);
  });

  test('renditions the CDN cannot serve are never linked', () => {
    const card = renderCard({
      ...IMAGE,
      renditions: [
        { size: 320, width: 320, height: 240, key: `renditions/protected/${OWNER}/A/1/320.webp` },
        { size: 640, width: 640, height: 480, key: `public/${OWNER}/../../private/x/640.webp` },
      ],
    });
    expect(within(card).queryByRole('img')).toBeNull();
    expect(card).toHaveTextContent('No preview');
  });
});

describe('rendition helpers', () => {
  test('a published key maps to the CDN without the folder; anything else to nothing', () => {
    expect(publishedUrl(BASE, 'public/a/b/1/320.webp')).toBe(`${BASE}/a/b/1/320.webp`);
    for (const unsafe of [
      'private/a/b.webp',
      'renditions/protected/a/b/1/320.webp',
      'public/a/../b.webp',
      'public/a//b.webp',
      'public/a/b c.webp',
      'public/a/?x',
    ]) {
      expect(publishedUrl(BASE, unsafe)).toBeUndefined();
    }
  });

  test('only a #rrggbb placeholder reaches a style attribute', () => {
    expect(placeholderColour({ placeholder: '#8899aa' })).toBe('#8899aa');
    for (const hostile of [
      'red; background-image: url(https://evil.example/)',
      'url(x)',
      '#8899aa;x',
      '#889',
    ]) {
      expect(placeholderColour({ placeholder: hostile })).toBeUndefined();
    }
  });

  test('picture starts from the largest rendition when none is wide enough', () => {
    expect(picture(IMAGE.renditions, urlOf, 4096)).toMatchObject({ width: 2048, height: 1536 });
  });

  test('alt text is trimmed, never empty', () => {
    expect(altText({ altText: ' Boats ', title: null, ownerName: 'Ada' })).toBe('Boats');
    expect(altText({ altText: '', title: '', ownerName: null })).not.toBe('');
  });
});

describe('pagination links', () => {
  test('the first page links to the next one by cursor, encoded', () => {
    render(<Pagination basePath="/" nextToken="a+b/c=" isFirstPage label="Gallery pages" />);
    const nav = screen.getByRole('navigation', { name: 'Gallery pages' });
    expect(within(nav).getByRole('link', { name: 'More images →' })).toHaveAttribute(
      'href',
      '/?after=a%2Bb%2Fc%3D',
    );
    expect(within(nav).queryByRole('link', { name: /First page/ })).toBeNull();
  });

  test('a later page links back to the first; the last says so', () => {
    render(<Pagination basePath="/me" isFirstPage={false} label="My images pages" />);
    const nav = screen.getByRole('navigation', { name: 'My images pages' });
    expect(within(nav).getByRole('link', { name: '← First page' })).toHaveAttribute('href', '/me');
    expect(nav).toHaveTextContent('That’s everything.');
  });

  test('one page only: no navigation at all', () => {
    const { container } = render(<Pagination basePath="/" isFirstPage label="Gallery pages" />);
    expect(container).toBeEmptyDOMElement();
  });
});
