/** `from` inclusive, `to` exclusive; ISO strings as received. */
export function timeRange(
  from: string | undefined,
  to: string | undefined,
): { gte?: Date; lt?: Date } | undefined {
  if (from === undefined && to === undefined) return undefined;
  return { ...(from ? { gte: new Date(from) } : {}), ...(to ? { lt: new Date(to) } : {}) };
}
