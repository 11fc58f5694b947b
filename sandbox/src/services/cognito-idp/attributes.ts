import type { UserPoolClientSpec } from '../../deploy/model';
import { IdpErrors } from './errors';
import type { AttributeInput } from './params';

/** The shape an email username or email attribute must have. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The OIDC standard attributes every user pool has; anything else must be `custom:`. */
const STANDARD_ATTRIBUTES = new Set([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);

/**
 * Refuses unknown attributes, `sub`, and (for self-service writes) anything outside the client's
 * writeAttributes. Verification flags are never self-service: they follow a code.
 */
export function assertAttributeNamesAllowed(
  attributes: readonly AttributeInput[],
  client: UserPoolClientSpec,
  operation: 'signUp' | 'update',
): void {
  for (const { Name } of attributes) {
    if (Name === 'sub') throw IdpErrors.invalidParameter('Cannot modify the non-mutable attribute sub');
    if (!STANDARD_ATTRIBUTES.has(Name) && !Name.startsWith('custom:')) {
      throw IdpErrors.invalidParameter(
        `Attributes did not conform to the schema: ${Name}: Attribute does not exist in the schema.`,
      );
    }
    const writable = client.writeAttributes;
    const selfVerified = Name === 'email_verified' || Name === 'phone_number_verified';
    if (selfVerified || (writable !== undefined && !writable.includes(Name))) {
      throw IdpErrors.notAuthorized(
        operation === 'signUp'
          ? `A client attempted to write unauthorized attribute: ${Name}`
          : 'A client attempted to write unauthorized attribute',
      );
    }
  }
}
