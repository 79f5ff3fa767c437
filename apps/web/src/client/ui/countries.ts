/**
 * Every ISO 3166-1 alpha-2 region the browser has a name for, as Select options ("Germany (DE)"). The codes ISO
 * leaves to private use (AA, QM–QZ, XA–XZ, ZZ) are not countries; anything else the API does not know dialling
 * rules for it refuses at the field.
 */
export function countryOptions(locale = 'en'): { value: string; label: string }[] {
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
  const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  const privateUse = /^(?:AA|Q[M-Z]|X[A-Z]|ZZ)$/;
  const options: { value: string; label: string }[] = [];
  for (const a of letters)
    for (const b of letters) {
      const code = a + b;
      const name = privateUse.test(code) ? undefined : names.of(code);
      if (name && name !== code) options.push({ value: code, label: `${name} (${code})` });
    }
  return options.sort((x, y) => x.label.localeCompare(y.label, locale));
}
