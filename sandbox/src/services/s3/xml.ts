import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AwsError } from '../../core/errors';
import { s3Errors } from './errors';

/** The one XML serializer of the S3 service: every response body goes through `toXml`. */
const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

/** S3's request documents are three levels deep; anything much deeper is an attack, not a request. */
const MAX_DEPTH = 16;

/**
 * Decodes exactly what XML defines without a DTD: the five predefined entities and character
 * references. Clients need the references (the SDK writes a key's newline as `&#x0A;`); any other
 * entity is undefined in a document without a DTD, so the document is malformed.
 */
const xmlEntities = {
  setExternalEntities: () => undefined,
  addInputEntities: () => {
    throw s3Errors.malformedXml();
  },
  reset: () => undefined,
  setXmlVersion: () => undefined,
  decode: (text: string): string =>
    text.includes('&') ? text.replace(/&([^;&]*);|&/g, (match, name?: string) => decodeEntity(name)) : text,
};

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntity(name: string | undefined): string {
  const predefined = name === undefined ? undefined : PREDEFINED[name];
  if (predefined !== undefined) return predefined;
  const reference = name === undefined ? null : /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
  if (reference) {
    const code = reference[1] !== undefined ? parseInt(reference[1], 16) : Number(reference[2]);
    if (code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff))
      return String.fromCodePoint(code);
  }
  throw s3Errors.malformedXml();
}

const parser = new XMLParser({
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  entityDecoder: xmlEntities,
  maxNestedTags: MAX_DEPTH,
  ignoreAttributes: true,
  removeNSPrefix: true,
  isArray: (name) => name === 'Part' || name === 'Object',
});

export type XmlValue = string | number | boolean | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

/** `root` is the document element; `namespaced` adds the S3 xmlns as AWS does on results (not on errors). */
export function toXml(root: string, body: XmlObject, namespaced = true): string {
  const element = namespaced ? { '@_xmlns': S3_NAMESPACE, ...body } : body;
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, [root]: element }) as string;
}

/** S3's error document (no namespace); `details` such as Key or HeadersNotSigned go between Message and RequestId. */
export function errorXml(error: AwsError, requestId: string, hostId: string): string {
  return toXml(
    'Error',
    { Code: error.code, Message: error.message, ...error.details, RequestId: requestId, HostId: hostId },
    false,
  );
}

/**
 * Parses a request body; malformed documents or a wrong root element are MalformedXML, as S3 answers.
 * A document type declaration is refused outright: S3's documents have none, and it is where entity
 * expansion (billion laughs) and external entities (XXE) live. Whatever else the parser rejects
 * (nesting deeper than any S3 document) is the client's malformed XML too, never a 500.
 */
export function parseXml(text: string, root: string): Record<string, unknown> {
  if (text.trim() === '' || /<!DOCTYPE/i.test(text) || XMLValidator.validate(text) !== true)
    throw s3Errors.malformedXml();
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch {
    throw s3Errors.malformedXml();
  }
  const element = doc[root];
  if (element === undefined) throw s3Errors.malformedXml();
  // An empty element parses as "" - treat it as an element without children.
  return typeof element === 'object' && element !== null ? (element as Record<string, unknown>) : {};
}
