// Data access for the public gallery: guest credentials, server side. Browsers get CloudFront
// URLs only, never presigned S3 URLs and never Amplify.
import { PUBLIC_FOLDER } from '@image-share/contracts/storage';
import { getProperties, list } from 'aws-amplify/storage/server';
import { serverRunner } from './amplify-server';
import type { AppConfig } from './config';
import { decodeDisplayName } from './metadata';
import { detailHref, displayFileName, folderPath, imageTitle, parseImagePath, publicUrl } from './paths';

const PAGE_SIZE = 24;

export interface PublicImage {
  path: string;
  url: string;
  href: string;
  title: string;
  fileName: string;
  lastModified?: string;
  size?: number;
}

interface GalleryPage {
  images: PublicImage[];
  nextToken?: string;
}

export interface PublicImageDetail extends PublicImage {
  displayName?: string;
}

function toPublicImage(
  config: AppConfig,
  item: { path: string; lastModified?: Date; size?: number },
): PublicImage | undefined {
  const parsed = parseImagePath(item.path);
  if (!parsed || parsed.visibility !== PUBLIC_FOLDER) return undefined;
  return {
    path: item.path,
    url: publicUrl(config.publicBaseUrl, item.path),
    href: detailHref(item.path),
    title: imageTitle(parsed.fileName),
    fileName: displayFileName(parsed.fileName),
    lastModified: item.lastModified?.toISOString(),
    size: item.size,
  };
}

export async function listPublicImages(config: AppConfig, nextToken?: string): Promise<GalleryPage> {
  const result = await serverRunner(config)({
    nextServerContext: null,
    operation: (context) =>
      list(context, {
        path: folderPath(PUBLIC_FOLDER),
        options: { pageSize: PAGE_SIZE, ...(nextToken ? { nextToken } : {}) },
      }),
  });
  const images = result.items.flatMap((item) => toPublicImage(config, item) ?? []);
  return result.nextToken ? { images, nextToken: result.nextToken } : { images };
}

/** One public image with its uploader's display name; undefined when it does not exist. */
export async function getPublicImage(
  config: AppConfig,
  path: string,
): Promise<PublicImageDetail | undefined> {
  try {
    const properties = await serverRunner(config)({
      nextServerContext: null,
      operation: (context) => getProperties(context, { path }),
    });
    const image = toPublicImage(config, {
      path,
      lastModified: properties.lastModified,
      size: properties.size,
    });
    if (!image) return undefined;
    return {
      ...image,
      displayName: decodeDisplayName(properties.metadata),
    };
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return undefined;
    throw error;
  }
}
