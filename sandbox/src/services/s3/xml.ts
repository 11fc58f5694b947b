import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { s3Errors } from './errors';

/** The one XML serializer of the S3 service: every response body goes through `toXml`. */
const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

const parser = new XMLParser({
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
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

/** Parses a request body; malformed documents or a wrong root element are MalformedXML, as S3 answers. */
export function parseXml(text: string, root: string): Record<string, unknown> {
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw s3Errors.malformedXml();
  const doc = parser.parse(text) as Record<string, unknown>;
  const element = doc[root];
  if (element === undefined) throw s3Errors.malformedXml();
  // An empty element parses as "" - treat it as an element without children.
  return typeof element === 'object' && element !== null ? (element as Record<string, unknown>) : {};
}
