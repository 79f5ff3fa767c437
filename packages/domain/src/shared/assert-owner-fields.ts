import { isAdmin, type Actor } from '../context.js';
import { AppError } from '../errors.js';

/**
 * Admins change any field. Anyone else acts only as the owner of the object (the caller has checked that they own
 * it) and may change only the owner's fields: the domain refuses the rest itself, whichever transport asked.
 */
export function assertOwnerFields(
  actor: Actor,
  input: object,
  ownerFields: readonly string[],
  what: string,
): void {
  if (isAdmin(actor)) return;
  for (const [field, value] of Object.entries(input)) {
    if (value !== undefined && !ownerFields.includes(field))
      throw new AppError('FORBIDDEN', `only an admin may change the ${field} of ${what}`, { field });
  }
}
