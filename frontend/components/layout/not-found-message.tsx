import Link from 'next/link';

/** Unknown URLs (app/not-found.tsx) and images that are gone (pages/p/[...key].tsx). */
export function NotFoundMessage() {
  return (
    <section className="notice" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Nothing here</h1>
      <p>This image or page does not exist. It may have been removed, or made private by its owner.</p>
      <Link className="button" href="/" prefetch={false}>
        Go to the gallery
      </Link>
    </section>
  );
}
