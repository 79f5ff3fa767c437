import type { Db } from '@pbx/db';
import { isAppError, type ChangeNotifier } from '@pbx/domain';
import {
  findExtension,
  isInternalDestination,
  routeCall,
  type Caller,
  type RouteStep,
  type TenantSnapshot,
} from '@pbx/domain/routing';
import type { FastifyBaseLogger } from 'fastify';
import { renderDialplan, UnsafeValue, type RefusalPrompts } from '../dialplan.js';
import { renderUser } from '../directory.js';
import { applyFeature } from '../features.js';
import type { Form } from '../form.js';
import type { EmergencyAlerts } from '../guards/emergency-alert.js';
import type { FraudGate } from '../guards/fraud-gate.js';
import type { SipGuard } from '../guards/sip-guard.js';
import type { TenantCache } from '../tenant-cache.js';
import { DOMAIN_RE, EXTENSION_RE } from '../text.js';
import { NOT_FOUND } from '../xml.js';
import { crossTenantRefusal } from './sip-auth-hosts.js';
import { TRANSFER_TOKEN_VAR, type TransferTokens } from './transfer-token.js';

export type LookupDeps = {
  cache: TenantCache;
  prisma: Db;
  /** The domain's notification port (feature codes are the controller's writes). */
  notify: ChangeNotifier;
  recordingsDir: string;
  outboundSocket: string;
  now: () => Date;
  log: FastifyBaseLogger;
  /** `cacheable` of every directory answer (ms): FreeSWITCH keeps the user that long (see renderUser). */
  directoryCacheMs: number;
  /** Signs and checks the channel variable that opens internal destinations to the platform's own transfers. */
  transferTokens: TransferTokens;
  /** Called when a sip_auth lookup is refused because a request header names another domain or user. */
  onCrossTenant?: (field: string) => void;
  /** The abuse guards: banned addresses, locked users, and a per-address limit on loads of unknown domains. */
  guard?: SipGuard;
  /** The outbound fraud policy's live checks (caps, velocity), asked before every external call. */
  fraud?: FraudGate;
  /** Raises the admin-visible alert of every emergency call. */
  emergency?: EmergencyAlerts;
  /** What a refused external call hears after the tone. */
  refusalPrompts?: RefusalPrompts;
};

/**
 * One mod_xml_curl lookup: its form in, the XML document out. A cached tenant is answered synchronously (every
 * lookup but the first per tenant): no promise and no extra turn of the event loop. A lookup that can be answered
 * neither from the cache nor from the database rejects with CacheUnavailableError.
 */
export type Lookup = (form: Form) => string | Promise<string>;

const DID_DIGITS_RE = /^[1-9]\d{5,14}$/;

type DialplanQuery = {
  context: string;
  destination: string;
  caller: Caller;
  /** The channel's UUID: what transfer tokens are bound to. */
  uuid: string;
  /** The platform's own transfer sent the call here (a valid transfer token for this destination). */
  internal: boolean;
};

/** The directory and dialplan answers, over the tenant cache and the routing engine. */
export function createLookups(d: LookupDeps): { directory: Lookup; dialplan: Lookup } {
  const warned = new Map<string, number>();
  const warnedRecently = (key: string): boolean => {
    const now = d.now().getTime();
    const last = warned.get(key);
    if (last !== undefined && now - last < 60_000) return true;
    if (warned.size >= 10_000) warned.clear();
    warned.set(key, now);
    return false;
  };
  const userAnswer = (snapshot: TenantSnapshot | null, user: string): string => {
    // A suspended tenant's phones still authenticate: routing refuses every call of theirs but emergency calls,
    // which must go through (issue #16; docs/trunks.md "Emergency calls").
    if (!snapshot) return NOT_FOUND;
    const ext = findExtension(snapshot, user);
    if (!ext?.enabled) return NOT_FOUND;
    return renderUser(snapshot, ext, d.directoryCacheMs);
  };

  const directory: Lookup = (f) => {
    const action = f.get('action');
    if (
      f.get('section') !== 'directory' ||
      f.has('purpose') ||
      (action !== 'sip_auth' && action !== 'user_call')
    )
      return NOT_FOUND;
    const domain = (f.last('domain') ?? f.get('key_value') ?? '').toLowerCase();
    const keyValue = f.get('key_value')?.toLowerCase();
    const user = f.last('user') ?? '';
    // The user is looked up only inside the domain FreeSWITCH asked for; nothing else is trusted. Two different
    // `domain` or `user` fields mean a realm tried to plant one (see Form.last): refuse.
    if (
      !DOMAIN_RE.test(domain) ||
      (keyValue && keyValue !== domain) ||
      f.get('domain')?.toLowerCase() !== domain ||
      f.get('user') !== user ||
      f.last('key') !== 'id' ||
      !EXTENSION_RE.test(user)
    )
      return NOT_FOUND;
    if (action === 'sip_auth') {
      const ip = f.last('ip');
      // A banned address or a locked user: refused from memory, before anything else.
      if (d.guard && d.guard.refusal(ip, user, domain) !== null) return NOT_FOUND;
      // Refused before any cache or database work: it costs a scanner nothing to try.
      const field = crossTenantRefusal(f, domain, user);
      if (field !== null) {
        d.onCrossTenant?.(field);
        // FreeSWITCH asks before it checks the digest, so a stranger can cause these: counted always, logged once
        // a minute per user, domain and field.
        if (warnedRecently(`${user}@${domain}/${field}`)) return NOT_FOUND;
        d.log.warn(
          { user, domain, field, value: f.last(field) ?? null, ip: f.last('ip') ?? null },
          'sip_auth refused: a request header names another domain or user than the digest realm',
        );
        return NOT_FOUND;
      }
      // A domain the controller knows nothing about costs a query: a few per address and minute, then none.
      if (d.guard && !d.guard.mayLoadUnknownDomain(ip, domain)) return NOT_FOUND;
    }
    const snapshot = d.cache.lookupDomain(domain);
    if (!(snapshot instanceof Promise)) return userAnswer(snapshot, user);
    return snapshot.then((s) => userAnswer(s, user));
  };

  const render = (steps: RouteStep[], q: DialplanQuery): string =>
    renderDialplan(steps, {
      context: q.context,
      destination: q.destination,
      recordingsDir: d.recordingsDir,
      outboundSocket: d.outboundSocket,
      uuid: q.uuid,
      transferTokens: d.transferTokens,
      refusalPrompts: d.refusalPrompts,
    });
  const reject = (q: DialplanQuery, note: string): string =>
    render(
      [
        { kind: 'note', text: note },
        { kind: 'set', name: 'pbx_route_result', value: 'UNALLOCATED' },
        { kind: 'hangup', cause: 'UNALLOCATED_NUMBER', reason: 'UNALLOCATED' },
      ],
      q,
    );
  const renderRoute = (steps: RouteStep[], q: DialplanQuery): string => {
    try {
      return render(steps, q);
    } catch (error) {
      if (!(error instanceof UnsafeValue)) throw error;
      d.log.error({ err: error.message }, 'refused to render an unsafe dialplan');
      return reject(q, 'unsafe value');
    }
  };
  const withFeatures = async (
    snapshot: TenantSnapshot,
    steps: RouteStep[],
    q: DialplanQuery,
  ): Promise<string> => {
    for (const step of steps) {
      if (step.kind !== 'feature') continue;
      try {
        await applyFeature({ prisma: d.prisma, notify: d.notify }, snapshot, step.feature);
      } catch (error) {
        // The domain refused (e.g. the target changed since the snapshot): the caller hears a refusal, not a fault.
        if (isAppError(error)) {
          d.log.info({ code: error.code, field: error.field }, 'feature code refused');
          return render([{ kind: 'hangup', cause: 'CALL_REJECTED' }], q);
        }
        d.log.error({ err: error instanceof Error ? error.message : String(error) }, 'feature code failed');
        return render([{ kind: 'hangup', cause: 'NETWORK_OUT_OF_ORDER' }], q);
      }
    }
    return renderRoute(steps, q);
  };
  const dialplanAnswer = (snapshot: TenantSnapshot | null, q: DialplanQuery): string | Promise<string> => {
    if (!snapshot) return reject(q, `no tenant for context ${q.context}`);
    const route = routeCall({
      snapshot,
      context: q.context === 'public' ? 'public' : 'tenant',
      caller: q.caller,
      destination: q.destination,
      now: d.now(),
      internal: q.internal,
    });
    d.emergency?.notify(snapshot, route.steps, q);
    for (const step of route.steps)
      if (step.kind === 'feature') return withFeatures(snapshot, route.steps, q);
    const fraud = d.fraud;
    if (!fraud) return renderRoute(route.steps, q);
    const from = q.caller.kind === 'extension' ? q.caller.number : null;
    const checked = fraud.check(snapshot, route.steps, q.uuid);
    const answer = (steps: RouteStep[]) => {
      fraud.noteRefusal(snapshot, steps, from);
      return renderRoute(steps, q);
    };
    return checked instanceof Promise ? checked.then(answer) : answer(checked);
  };

  const dialplan: Lookup = (f) => {
    if (f.get('section') !== 'dialplan') return NOT_FOUND;
    // The Hunt-* copy of the caller profile is the last thing FreeSWITCH posts, and every value after the five
    // leading lookup keys is URL-encoded, so the last `&Hunt-…=` is the field itself: found from the end, it costs
    // a few hundred characters of search instead of ~7 KB.
    const context = f.last('Hunt-Context') ?? f.get('Caller-Context') ?? '';
    const destination = f.last('Hunt-Destination-Number') ?? f.get('Caller-Destination-Number') ?? '';
    if (context === '' || destination === '') return NOT_FOUND;
    let snapshot: TenantSnapshot | null | Promise<TenantSnapshot | null>;
    let caller: Caller;
    if (context === 'public') {
      const digits = destination.startsWith('+') ? destination.slice(1) : destination;
      snapshot = DID_DIGITS_RE.test(digits) ? d.cache.lookupDid(`+${digits}`) : null;
      caller = { kind: 'external', number: f.get('Caller-Caller-ID-Number') ?? '' };
    } else {
      snapshot = DOMAIN_RE.test(context) ? d.cache.lookupDomain(context) : null;
      // Authenticated phones carry their directory identity; the domain must be this very context.
      const user = f.get('variable_user_name');
      const userDomain = f.get('variable_domain_name')?.toLowerCase();
      caller =
        user && userDomain === context && EXTENSION_RE.test(user)
          ? { kind: 'extension', number: user }
          : { kind: 'external', number: f.get('Caller-Caller-ID-Number') ?? '' };
    }
    const uuid = f.get('Unique-ID') ?? '';
    const internal =
      isInternalDestination(destination) &&
      d.transferTokens.verify(uuid, context, destination, f.get(`variable_${TRANSFER_TOKEN_VAR}`));
    const q: DialplanQuery = { context, destination, caller, uuid, internal };
    if (!(snapshot instanceof Promise)) return dialplanAnswer(snapshot, q);
    return snapshot.then((found) => dialplanAnswer(found, q));
  };

  return { directory, dialplan };
}
