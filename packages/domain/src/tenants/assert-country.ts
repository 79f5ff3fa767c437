import { isSupportedCountry } from 'libphonenumber-js/max';
import { AppError } from '../errors.js';

/** A tenant's country must be one libphonenumber has dialling rules for: national numbers are read with them. */
export function assertTenantCountry(country: string | undefined): void {
  if (country !== undefined && !isSupportedCountry(country))
    throw new AppError('VALIDATION_FAILED', `${country} is not a country whose dialling rules are known`, {
      field: 'country',
    });
}
