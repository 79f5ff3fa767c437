import { z } from 'zod';

/** Reusable fragments: each app composes the ones it needs. */
export const env = {
  port: (fallback: number) =>
    z.coerce
      .number({ message: 'expected a port number' })
      .int()
      .min(1, 'expected a port from 1 to 65535')
      .max(65535, 'expected a port from 1 to 65535')
      .default(fallback),
  host: (fallback: string) => z.string().min(1).default(fallback),
  url: (protocols: string[], fallback?: string) => {
    const s = z.string().refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      `expected a ${protocols.join(' or ')} URL`,
    );
    return fallback === undefined ? s : s.default(fallback);
  },
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce
      .number({ message: 'expected a whole number' })
      .int('expected a whole number')
      .min(min, `expected at least ${min}`)
      .max(max, `expected at most ${max}`)
      .default(fallback),
  secret: (minLength: number) =>
    z.string({ message: 'must be set' }).min(minLength, `must be at least ${minLength} characters`),
  /** An absolute directory, e.g. RECORDINGS_DIR (it goes into dial strings: a safe alphabet only). */
  dir: (fallback: string) =>
    z
      .string()
      .regex(/^\/[\w./-]*$/, 'expected an absolute path of letters, digits, . _ / -')
      .default(fallback),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};
