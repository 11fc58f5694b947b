// What the data API accepts, in numbers the web app shows before anyone submits a form. The api
// function imports and enforces these very constants, so the forms and the API cannot disagree.

/** Longest text, in characters, the data API stores per field. */
export const TEXT_LIMITS = {
  title: 120,
  altText: 500,
  description: 2000,
  displayName: 60,
} as const;

/** Page sizes of every listing: what a page holds when no limit is asked, and the most it may hold. */
export const PAGE_SIZE = { default: 24, max: 48 } as const;
