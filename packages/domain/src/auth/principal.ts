import type { Actor } from '../context.js';

/** An authenticated caller: the rights (`actor`) plus what /auth/me shows about it. */
export type Principal = {
  actor: Actor;
  user: { id: string; email: string; name: string } | null;
  apiKey: { id: string; name: string; prefix: string } | null;
};
