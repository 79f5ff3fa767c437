// What every mapper uses: timestamps as ISO strings, a page of rows as a page of DTOs, a stored greeting.

export const iso = (d: Date) => d.toISOString();

export const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const pageDto = <R, D>(
  page: { items: R[]; total: number; limit: number; offset: number },
  map: (r: R) => D,
) => ({
  items: page.items.map(map),
  total: page.total,
  limit: page.limit,
  offset: page.offset,
});

/** A greeting stored for a box or menu: when, or null when none is. */
export const storedGreeting = (at: Date | null) => (at ? { updatedAt: iso(at) } : null);
