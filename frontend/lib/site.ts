// The site's name and head tags, shared by the App Router layout and the Pages Router's _app.
export const SITE = {
  name: 'Snapshelf',
  description: 'Share your images: keep them to yourself, with signed-in users, or with everyone.',
  themeColor: '#f7f7f5',
} as const;

export function pageTitle(title?: string): string {
  return title ? `${title} · ${SITE.name}` : SITE.name;
}
