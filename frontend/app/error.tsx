'use client';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <section className="notice notice-error" role="alert">
      <h1>Something went wrong</h1>
      <p>The page could not be shown. Try again; if it keeps happening, reload the page.</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
