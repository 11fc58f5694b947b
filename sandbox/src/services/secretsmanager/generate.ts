/**
 * GenerateSecretString as Secrets Manager documents it: a random password from the character
 * classes left after the exclusions, with at least one of each class when RequireEachIncludedType
 * (the default) asks for it, optionally placed under a key of a JSON template.
 */
import { randomInt } from 'node:crypto';
import type { GenerateSecretSpec } from '../../deploy/model';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
/** Secrets Manager's punctuation set. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

export function generateSecretString(spec: GenerateSecretSpec): string {
  const excluded = new Set(spec.excludeCharacters);
  const classes = [
    spec.excludeLowercase ? '' : LOWER,
    spec.excludeUppercase ? '' : UPPER,
    spec.excludeNumbers ? '' : DIGITS,
    spec.excludePunctuation ? '' : PUNCTUATION,
    spec.includeSpace ? ' ' : '',
  ]
    .map((chars) => [...chars].filter((c) => !excluded.has(c)).join(''))
    .filter((chars) => chars.length > 0);
  const all = classes.join('');
  if (all.length === 0) throw new Error('GenerateSecretString excludes every character');
  const required = spec.requireEachIncludedType ? classes : [];
  if (required.length > spec.passwordLength)
    throw new Error(
      `GenerateSecretString cannot include each of ${required.length} character types in ${spec.passwordLength} characters`,
    );
  const chars = required.map((chars) => chars[randomInt(chars.length)]!);
  while (chars.length < spec.passwordLength) chars.push(all[randomInt(all.length)]!);
  // Fisher-Yates, so the required characters are not always in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  const password = chars.join('');
  if (spec.secretStringTemplate === undefined || spec.generateStringKey === undefined) return password;
  const template: unknown = JSON.parse(spec.secretStringTemplate);
  if (template === null || typeof template !== 'object' || Array.isArray(template))
    throw new Error('SecretStringTemplate must be a JSON object');
  return JSON.stringify({ ...template, [spec.generateStringKey]: password });
}
