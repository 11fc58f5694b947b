import Link from 'next/link';

/** The 404 of both routers: app/not-found.tsx and pages/404.tsx. */
export function NotFoundMessage() {
  return (
    <section className="notice" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Nothing here</h1>
      <p>This image or page does not exist. It may have been removed, or made private by its owner.</p>
      <Link className="button" href="/">
        Go to the gallery
      </Link>
    </section>
  );
}
