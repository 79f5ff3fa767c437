import { ProblemSchema } from '@pbx/contracts';
import type { z } from 'zod';

/** An API answer that was not 2xx, carrying the problem+json details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Fetches from the API (same origin, session cookie) and validates the answer with the contract schema. */
export async function request<S extends z.ZodType>(
  schema: S,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<z.infer<S>> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (!res.ok) {
    const problem = ProblemSchema.safeParse(await res.json().catch(() => null));
    const detail = problem.success ? (problem.data.detail ?? problem.data.title) : res.statusText;
    const field = problem.success ? problem.data.field : undefined;
    throw new ApiError(res.status, detail, field ?? undefined);
  }
  if (res.status === 204) return schema.parse(undefined);
  return schema.parse(await res.json());
}

export const paths = {
  login: '/v1/auth/login',
  logout: '/v1/auth/logout',
  me: '/v1/auth/me',
  tenants: '/v1/tenants',
  extensions: (tenantId: string) => `/v1/tenants/${encodeURIComponent(tenantId)}/extensions`,
};
