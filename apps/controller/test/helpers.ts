import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type Db, type DestinationType, type OutboundPolicy, type RecordingPolicy } from '@pbx/db';
import { sipA1Hash } from '@pbx/domain';
import {
  requestBytes,
  XmlCurlClient,
  type LookupResult,
  type XmlCurlRequest,
} from '@pbx/freeswitch-double/xml-curl';
import { LocalStorage, type ObjectStorage } from '@pbx/storage';
import { TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import { Redis } from 'ioredis';
import {
  buildController,
  type Controller,
  type ControllerDeps,
  type ControllerSettings,
} from '../src/app.js';

/** A local storage in a directory of its own, created only when something is stored. */
export const scratchStorage = () => new LocalStorage(join(tmpdir(), `pbx-storage-${randomUUID()}`));

export const XML_USER = 'freeswitch';
export const XML_PASSWORD = 'xml-curl-test-password';
/** The Authorization value FreeSWITCH sends with the test credentials. */
export const XML_AUTH = `Basic ${Buffer.from(`${XML_USER}:${XML_PASSWORD}`).toString('base64')}`;

/** What every test controller is configured with, but its Redis prefix; tests override what they exercise. */
export const TEST_SETTINGS = {
  xmlCurlUser: XML_USER,
  xmlCurlPassword: XML_PASSWORD,
  xmlCurlAllow: '127.0.0.1/32,::1/128',
  recordingsDir: '/var/lib/pbx/recordings',
  outboundSocketAddress: '127.0.0.1:8084',
} satisfies Partial<ControllerSettings>;

/** mod_xml_curl's exact bytes for `req`, posted with the test credentials to `path` on the controller at `port`. */
export const lookupBytes = (port: number, path: string, req: XmlCurlRequest): Buffer =>
  requestBytes({ host: '127.0.0.1', port, path, user: XML_USER, password: XML_PASSWORD }, req);

/** The xml_curl double's client, with the test credentials, for the controller at `baseUrl`. */
export const xmlCurlClient = (baseUrl: string): XmlCurlClient =>
  new XmlCurlClient({ baseUrl, user: XML_USER, password: XML_PASSWORD });

export type Running = Controller & {
  baseUrl: string;
  port: number;
  client: XmlCurlClient;
  prisma: Db;
  publisher: Redis;
  prefix: string;
  clock: { now: Date };
  close: () => Promise<void>;
};

/** Starts a controller on an ephemeral port against a test database and real Redis. */
export async function startController(
  databaseUrl: string,
  settings: Partial<ControllerSettings> = {},
  extra: {
    /** The outbound socket; its job queues (voicemail e-mail) are real BullMQ queues under the test's prefix. */
    /** Without `storage`, a local storage in a directory of its own (written only if a greeting is recorded). */
    outbound?: Omit<NonNullable<ControllerDeps['outbound']>, 'queues' | 'storage'> & {
      storage?: ObjectStorage;
    };
    logger?: ControllerDeps['logger'];
    /** The abuse guards and the outbound fraud checks, over this Redis connection. */
    guards?: ControllerDeps['guards'];
    cdrErrLog?: ControllerDeps['cdrErrLog'];
  } = {},
): Promise<Running> {
  const db = createDb({ databaseUrl, poolSize: 4 });
  const prefix = testRedisPrefix();
  const subscriber = new Redis(TEST_REDIS_URL);
  const publisher = new Redis(TEST_REDIS_URL);
  const jobsConnection = extra.outbound ? createJobsConnection(TEST_REDIS_URL) : undefined;
  const queues = jobsConnection ? createJobQueues({ connection: jobsConnection, prefix }) : undefined;
  const clock = { now: new Date('2026-11-23T15:00:00Z') };
  const controller = await buildController({
    settings: { ...TEST_SETTINGS, redisPrefix: prefix, ...settings },
    prisma: db.prisma,
    subscriber,
    publisher,
    now: () => clock.now,
    ...(extra.logger ? { logger: extra.logger } : {}),
    ...(extra.guards ? { guards: extra.guards } : {}),
    ...(extra.cdrErrLog ? { cdrErrLog: extra.cdrErrLog } : {}),
    ...(extra.outbound && queues
      ? { outbound: { storage: scratchStorage(), ...extra.outbound, queues } }
      : {}),
  });
  await controller.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (controller.app.server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}/freeswitch`;
  return {
    ...controller,
    baseUrl,
    port,
    prefix,
    clock,
    prisma: db.prisma,
    publisher,
    client: xmlCurlClient(baseUrl),
    close: async () => {
      await controller.app.close();
      await queues?.close();
      jobsConnection?.disconnect();
      subscriber.disconnect();
      publisher.disconnect();
      await db.close();
    },
  };
}

export async function createTenant(
  prisma: Db,
  domain: string,
  data: Partial<{
    timeZone: string;
    status: 'ACTIVE' | 'SUSPENDED';
    allowInternational: boolean;
    allowPremium: boolean;
    maxConcurrentOutbound: number;
    recordingPolicy: RecordingPolicy;
    defaultCallerIdNumber: string | null;
  }> = {},
) {
  return prisma.tenant.create({
    data: { name: domain, domain, defaultCallerIdNumber: '+12125550100', ...data },
  });
}

/** An IVR menu "Main" on 5000 that hangs up on time-out and invalid input. */
export async function createIvrMenu(prisma: Db, tenantId: string) {
  return prisma.ivrMenu.create({
    data: {
      tenantId,
      name: 'Main',
      number: '5000',
      timeoutDestType: 'HANGUP',
      invalidDestType: 'HANGUP',
    },
  });
}

export async function createGateway(prisma: Db, tenantId: string, fsName: string) {
  const gw = await prisma.gateway.create({ data: { tenantId, fsName, prefix: '' } });
  const position = await prisma.tenantGateway.count({ where: { tenantId } });
  await prisma.tenantGateway.create({ data: { tenantId, gatewayId: gw.id, position } });
  return gw;
}

export async function createExtension(
  prisma: Db,
  tenant: { id: string; domain: string },
  number: string,
  data: Partial<{
    displayName: string;
    callerIdName: string | null;
    callerIdNumber: string | null;
    enabled: boolean;
    dnd: boolean;
    voicemail: boolean;
    recordingPolicy: RecordingPolicy;
    outboundPolicy: OutboundPolicy;
    ringTimeoutSec: number;
    forwardAlways: [DestinationType, string | null];
    forwardBusy: [DestinationType, string | null];
    forwardNoAnswer: [DestinationType, string | null];
    password: string;
  }> = {},
) {
  const box =
    data.voicemail === false
      ? null
      : await prisma.voicemailBox.create({
          data: { tenantId: tenant.id, number, name: `Box ${number}`, pinHash: 'x' },
        });
  return prisma.extension.create({
    data: {
      tenantId: tenant.id,
      number,
      displayName: data.displayName ?? `Extension ${number}`,
      callerIdName: data.callerIdName ?? null,
      callerIdNumber: data.callerIdNumber ?? null,
      sipA1Hash: sipA1Hash(number, tenant.domain, data.password ?? `secret${number}`),
      enabled: data.enabled ?? true,
      dnd: data.dnd ?? false,
      voicemailEnabled: data.voicemail !== false,
      voicemailBoxId: box?.id ?? null,
      ...(data.recordingPolicy ? { recordingPolicy: data.recordingPolicy } : {}),
      ...(data.outboundPolicy ? { outboundPolicy: data.outboundPolicy } : {}),
      ...(data.ringTimeoutSec ? { ringTimeoutSec: data.ringTimeoutSec } : {}),
      forwardAlwaysType: data.forwardAlways?.[0] ?? null,
      forwardAlwaysValue: data.forwardAlways?.[1] ?? null,
      forwardBusyType: data.forwardBusy?.[0] ?? null,
      forwardBusyValue: data.forwardBusy?.[1] ?? null,
      forwardNoAnswerType: data.forwardNoAnswer?.[0] ?? null,
      forwardNoAnswerValue: data.forwardNoAnswer?.[1] ?? null,
    },
  });
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** RFC 2617 qop=auth: would FreeSWITCH accept this digest response with the a1-hash it was given? */
export function digestMatches(a1Hash: string, f: Map<string, string>): boolean {
  const ha2 = md5(`${f.get('sip_auth_method') ?? ''}:${f.get('sip_auth_uri') ?? ''}`);
  const expected = md5(
    `${a1Hash}:${f.get('sip_auth_nonce') ?? ''}:${f.get('sip_auth_nc') ?? ''}:${f.get('sip_auth_cnonce') ?? ''}:${f.get('sip_auth_qop') ?? ''}:${ha2}`,
  );
  return expected === f.get('sip_auth_response');
}

/** The single user of a directory answer, with params and variables as maps. */
export function userOf(res: LookupResult) {
  const doc = res.document;
  if (doc?.kind !== 'directory')
    throw new Error(`expected a directory document, got ${doc?.kind ?? `HTTP ${res.status}`}`);
  const domain = doc.domains[0];
  const user = domain?.users[0];
  if (!domain || !user || doc.domains.length !== 1 || domain.users.length !== 1)
    throw new Error('expected one domain with one user');
  return {
    domain: domain.name,
    domainParams: new Map(domain.params.map((p) => [p.name, p.value])),
    id: user.id,
    params: new Map(user.params.map((p) => [p.name, p.value])),
    variables: new Map(user.variables.map((v) => [v.name, v.value])),
  };
}

/** The actions of a dialplan answer, checking it has exactly the requested context. */
export function actionsOf(
  res: LookupResult,
  context: string,
): { application: string; data: string | null }[] {
  const doc = res.document;
  if (doc?.kind !== 'dialplan')
    throw new Error(`expected a dialplan document, got ${doc?.kind ?? `HTTP ${res.status}`}: ${res.body}`);
  if (doc.contexts.length !== 1 || doc.contexts[0]?.name !== context)
    throw new Error(`expected context ${context}`);
  return doc.contexts[0].extensions.flatMap((e) => e.conditions.flatMap((c) => c.actions));
}

export const app = (actions: { application: string; data: string | null }[], name: string) =>
  actions.filter((a) => a.application === name).map((a) => a.data ?? '');

/** Variables from `set` and `export` actions. */
export const setVars = (actions: { application: string; data: string | null }[]) =>
  new Map(
    [...app(actions, 'set'), ...app(actions, 'export')].map((d) => {
      const eq = d.indexOf('=');
      return [d.slice(0, eq), d.slice(eq + 1)] as const;
    }),
  );

/** A call from one of a tenant's phones, as FreeSWITCH asks for its dialplan after the INVITE was authenticated. */
export function phoneCall(domain: string, from: string, to: string, extra: { callerIdName?: string } = {}) {
  return {
    uuid: `0000aaaa-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
    destination: to,
    context: domain,
    user: from,
    domain,
    callerIdName: extra.callerIdName ?? `Ext ${from}`,
    callerIdNumber: from,
    directoryVariables: [['user_context', domain] as const],
  };
}

/** A call arriving from a trunk to a DID (public context, unauthenticated). */
export function trunkCall(did: string, from = '+13105550199') {
  return {
    uuid: `0000bbbb-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
    destination: did,
    context: 'public',
    user: null,
    domain: '127.0.0.1',
    callerIdName: 'Outside',
    callerIdNumber: from,
  };
}
