export type PageArgs = { limit: number; offset: number };
export type Page<T> = { items: T[]; total: number; limit: number; offset: number };

export function toPage<T>(items: T[], total: number, args: PageArgs): Page<T> {
  return { items, total, limit: args.limit, offset: args.offset };
}
