import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createDb, type Db, type DbHandle } from '@pbx/db';
import { createTestDatabase, TEST_REDIS_URL } from '@pbx/testing';
import { createTenantResolver, fsUrlDecode, type HeaderRecord, type TenantResolver } from '../src/index.js';

const FIXTURES = fileURLToPath(new URL('../../../tests/fixtures/freeswitch/', import.meta.url));

export function fixture(subPath: string): Buffer {
  return readFileSync(FIXTURES + subPath);
}

export const JSON_CDR_FILES = [
  '011-cdr-outbound-1001-to-1002',
  '012-cdr-inbound-1001-to-1002',
  '015-cdr-inbound-1001-to-5000',
  '018-cdr-inbound-1001-to-5001',
  '021-cdr-inbound-1001-to-6000',
  '024-cdr-inbound-1001-to-9999',
  '027-cdr-inbound-1001-to-7000',
] as const;

/** The body of a captured mod_json_cdr POST (everything after the blank line), checked against its Content-Length. */
export function jsonCdrBody(name: string): string {
  const raw = fixture(`json_cdr/${name}.request.http`);
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, split).toString('latin1');
  const body = raw.subarray(split + 4);
  const length = Number(/\r\nContent-Length: (\d+)/i.exec(head)?.[1]);
  if (length !== body.length)
    throw new Error(`${name}: Content-Length ${length} but ${body.length} body bytes`);
  return body.toString('utf8');
}

export type EslFrame = { headers: Record<string, string>; body: Buffer };

/**
 * A small ESL frame splitter for the captured byte streams (the production
 * adapter lives in @pbx/esl): header lines up to a blank line, then
 * Content-Length bytes of body.
 */
export function splitFrames(data: Buffer): EslFrame[] {
  const frames: EslFrame[] = [];
  let pos = 0;
  while (pos < data.length) {
    const end = data.indexOf('\n\n', pos);
    if (end < 0) throw new Error(`truncated header block at ${pos}`);
    const headers = parseHeaderLines(data.subarray(pos, end).toString('utf8'), false);
    pos = end + 2;
    const length = Number(headers['Content-Length'] ?? 0);
    frames.push({ headers, body: data.subarray(pos, pos + length) });
    pos += length;
  }
  return frames;
}

/** A text/event-plain body → event headers with URL-decoded values (an inner Content-Length body becomes `_body`). */
export function parsePlainEvent(body: Buffer): Record<string, string> {
  const end = body.indexOf('\n\n');
  const event = parseHeaderLines(body.subarray(0, end < 0 ? body.length : end).toString('utf8'), true);
  if (event['Content-Length'] !== undefined && end >= 0)
    event._body = body.subarray(end + 2).toString('utf8');
  return event;
}

function parseHeaderLines(text: string, decode: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(': ');
    if (i <= 0) continue;
    const name = line.slice(0, i);
    // A repeated header (Hangup-Cause) keeps its first value, as modesl does.
    if (!(name in out)) out[name] = decode ? fsUrlDecode(line.slice(i + 2)) : line.slice(i + 2);
  }
  return out;
}

/** Every event of the `event plain ALL` capture, in order. */
export function capturedPlainEvents(): HeaderRecord[] {
  return splitFrames(fixture('esl_inbound/esl-inbound-event-plain-ALL.rx.raw'))
    .filter((f) => f.headers['Content-Type'] === 'text/event-plain')
    .map((f) => parsePlainEvent(f.body));
}

/** api/response bodies of a capture, in order. */
export function capturedApiResponses(file: string): string[] {
  return splitFrames(fixture(`esl_inbound/${file}`))
    .filter((f) => f.headers['Content-Type'] === 'api/response')
    .map((f) => f.body.toString('utf8'));
}

export const ACME = { domain: 'acme.test', extensions: ['1001', '1002'] } as const;

/** The tenant of the captures: acme.test with extensions 1001 and 1002. */
export async function seedAcme(prisma: Db, domain: string = ACME.domain): Promise<{ tenantId: string }> {
  const tenant = await prisma.tenant.create({ data: { name: 'Acme', domain, recordingPolicy: 'ALWAYS' } });
  for (const number of ACME.extensions) {
    await prisma.extension.create({
      data: {
        tenantId: tenant.id,
        number,
        displayName: `Extension ${number}`,
        sipA1Hash: createHash('md5').update(`${number}:${domain}:secret${number}`).digest('hex'),
      },
    });
  }
  return { tenantId: tenant.id };
}

/**
 * A test file's own database with the Acme tenant seeded, a Redis connection and a tenant resolver, closed
 * after the file's tests.
 */
export async function acmeWorld(): Promise<{
  db: DbHandle;
  redis: Redis;
  tenantId: string;
  tenants: TenantResolver;
}> {
  const tdb = await createTestDatabase();
  const db = createDb({ databaseUrl: tdb.url, poolSize: 2 });
  const redis = new Redis(TEST_REDIS_URL);
  after(async () => {
    await db.close();
    redis.disconnect();
  });
  const { tenantId } = await seedAcme(db.prisma);
  return { db, redis, tenantId, tenants: createTenantResolver(db.prisma) };
}
