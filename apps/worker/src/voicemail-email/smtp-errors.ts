/**
 * What an SMTP failure means for the next attempt. Permanent: the server answered 5xx (bad address,
 * policy, message refused). Everything else (4xx, no connection, timeouts, TLS) is worth retrying.
 */
export type SmtpFailure = { permanent: boolean; reason: string };

export function classifySmtpError(error: unknown): SmtpFailure {
  const e = error as { responseCode?: unknown; response?: unknown; code?: unknown; message?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = typeof e.response === 'string' ? e.response : null;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const reason = response ?? `${typeof e.code === 'string' ? `${e.code}: ` : ''}${message}`;
  return { permanent: code !== null && code >= 500 && code < 600, reason };
}
