import { ProblemSchema, type Problem } from '@pbx/contracts';
import type { z } from 'zod';

/** An API answer that was not 2xx, carrying the problem+json details in words for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    /** Field path (as the API names it, e.g. "number" or "options.0.digits") → message. */
    readonly fields: Record<string, string>,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** "invalid body: number: expected 2 to 8 digits" → "Expected 2 to 8 digits." */
export function plainWords(message: string): string {
  // The prefixes name where and which field; the message itself may hold ": " (a list of allowed characters).
  const text = message
    .replace(/^invalid (?:body|querystring|params|headers): /, '')
    .replace(/^[\w.]+: /, '')
    .replace(/^Invalid input: /, '');
  // zod's words for an empty pick ("Invalid UUID", "Invalid input") mean "choose one" on a form.
  if (/^invalid (?:uuid|input)$/i.test(text)) return 'Choose one.';
  // An empty number or time field reaches the contract as NaN.
  if (/received NaN$/.test(text)) return 'Fill this in.';
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fromProblem(status: number, problem: Problem): ApiError {
  const fields: Record<string, string> = {};
  for (const e of problem.errors ?? []) fields[e.field] ??= plainWords(e.message);
  if (problem.field && !fields[problem.field])
    fields[problem.field] = plainWords(problem.detail ?? problem.title);
  let message = plainWords(problem.detail ?? problem.title);
  if (problem.code === 'ACCOUNT_LOCKED' && typeof problem.details?.lockedUntil === 'string') {
    message = `Too many failed sign-ins: this account is locked until ${new Date(problem.details.lockedUntil).toLocaleString()}.`;
  }
  if (status === 401 && problem.code === 'UNAUTHENTICATED') message = 'Wrong e-mail or password.';
  return new ApiError(status, message, problem.code, fields, problem.details ?? {});
}

type Init = { method?: string; body?: unknown; form?: FormData; headers?: Record<string, string> };

async function send(path: string, init: Init): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    ...(init.form ? { body: init.form } : init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (!res.ok) {
    const problem = ProblemSchema.safeParse(await res.json().catch(() => null));
    if (problem.success) throw fromProblem(res.status, problem.data);
    throw new ApiError(res.status, res.statusText || 'The server did not answer', 'HTTP', {});
  }
  return res;
}

/** Fetches from the API (same origin, session cookie) and validates the answer with the contract schema. */
export async function request<S extends z.ZodType>(
  schema: S,
  path: string,
  init: Init = {},
): Promise<z.infer<S>> {
  const res = await send(path, init);
  if (res.status === 204) return schema.parse(undefined);
  return schema.parse(await res.json());
}

/** A request whose answer has no body (204) or whose body is not needed. */
export async function call(path: string, init: Init = {}): Promise<void> {
  await send(path, init);
}

/** Fetches a file (audio, CSV) as a blob. */
export async function fetchBlob(path: string): Promise<Blob> {
  return (await send(path, {})).blob();
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'Cannot reach the server.';
  return error instanceof Error ? error.message : String(error);
}

const t = (tenantId: string) => `/v1/tenants/${encodeURIComponent(tenantId)}`;
export const paths = {
  login: '/v1/auth/login',
  logout: '/v1/auth/logout',
  me: '/v1/auth/me',
  password: '/v1/auth/password',
  tenants: '/v1/tenants',
  gateways: '/v1/gateways',
  trunks: (tenantId: string) => `${t(tenantId)}/trunks`,
  tenant: t,
  extensions: (tenantId: string) => `${t(tenantId)}/extensions`,
  extension: (tenantId: string, id: string) => `${t(tenantId)}/extensions/${encodeURIComponent(id)}`,
  boxes: (tenantId: string) => `${t(tenantId)}/voicemail-boxes`,
  box: (tenantId: string, id: string) => `${t(tenantId)}/voicemail-boxes/${encodeURIComponent(id)}`,
  menus: (tenantId: string) => `${t(tenantId)}/ivr-menus`,
  menu: (tenantId: string, id: string) => `${t(tenantId)}/ivr-menus/${encodeURIComponent(id)}`,
  ringGroups: (tenantId: string) => `${t(tenantId)}/ring-groups`,
  timeConditions: (tenantId: string) => `${t(tenantId)}/time-conditions`,
  numbers: (tenantId: string) => `${t(tenantId)}/inbound-numbers`,
  cdrs: (tenantId: string) => `${t(tenantId)}/cdrs`,
  explain: (tenantId: string) => `${t(tenantId)}/explain`,
  recordings: (tenantId: string) => `${t(tenantId)}/recordings`,
  auditLog: (tenantId: string) => `${t(tenantId)}/audit-log`,
};
