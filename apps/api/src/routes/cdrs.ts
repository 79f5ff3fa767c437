import { Readable } from 'node:stream';
import { CdrFilterQuery, CdrPage, CdrSchema, ListCdrsQuery, Uuid } from '@pbx/contracts';
import { exportCdrs, getCdr, listCdrs } from '@pbx/domain';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tenantCtx } from '../http/context.js';
import { csvLine } from '../http/csv.js';
import { cdrDto } from '../http/mappers/history.js';
import { pageDto } from '../http/mappers/shared.js';
import { TenantParams, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const CdrParams = TenantParams.extend({ cdrId: Uuid });

/** The query's "true"/"false" as the domain's boolean. */
function filterOf<Q extends { answered?: 'true' | 'false' | undefined }>(query: Q) {
  const { answered, ...rest } = query;
  return { ...rest, ...(answered === undefined ? {} : { answered: answered === 'true' }) };
}
const COLUMNS = [
  'id',
  'callUuid',
  'bridgeUuid',
  'direction',
  'fromNumber',
  'fromName',
  'toNumber',
  'did',
  'extensionNumber',
  'startedAt',
  'answeredAt',
  'endedAt',
  'durationSec',
  'billsec',
  'hangupCause',
  'blockedReason',
  'recordingId',
] as const;

export const cdrRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['cdrs'];
  const config = { access: 'tenant-admin' } as const;

  app.get('/cdrs', {
    schema: {
      tags,
      summary:
        'Call detail records, newest first; filter by date range (from inclusive, to exclusive), extension, direction, number (part of caller, called or DID), answered/missed',
      params: TenantParams,
      querystring: ListCdrsQuery,
      response: withErrors({ 200: CdrPage }),
    },
    config,
    handler: async (req) => pageDto(await listCdrs(tenantCtx(req, svc), filterOf(req.query)), cdrDto),
  });

  app.get('/cdrs/export.csv', {
    schema: {
      tags,
      summary: 'The same records as CSV, oldest first (at most 100 000 rows)',
      params: TenantParams,
      querystring: CdrFilterQuery,
      response: withErrors({
        200: { description: 'CSV with a header row', content: { 'text/csv': { schema: z.string() } } },
      }),
    },
    config,
    handler: async (req, reply) => {
      const batches = exportCdrs(tenantCtx(req, svc), filterOf(req.query));
      async function* lines() {
        yield csvLine([...COLUMNS]);
        for await (const rows of batches) {
          yield rows.map((r) => csvLine(COLUMNS.map((c) => r[c]))).join('');
        }
      }
      // A stream is sent as is; the typed reply only knows JSON bodies.
      return (reply as FastifyReply)
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="cdrs.csv"')
        .send(Readable.from(lines()));
    },
  });

  app.get('/cdrs/:cdrId', {
    schema: {
      tags,
      summary: 'Get a call detail record',
      params: CdrParams,
      response: withErrors({ 200: CdrSchema }),
    },
    config,
    handler: async (req) => cdrDto(await getCdr(tenantCtx(req, svc), req.params.cdrId)),
  });
  done();
};
