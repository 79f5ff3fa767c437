import type { RingStep, RingTarget } from '@pbx/domain/routing';
import { DOMAIN_RE, EXTENSION_RE, fsText, xmlEscape } from './text.js';

// The dialplan's `<action>` lines: values checked against strict patterns, data escaped, prefixes built once, and the
// lines of the ring steps the engine shares between calls rendered once (renderDialplan in dialplan.ts uses them).

const VAR_NAME_RE = /^[a-z_][a-z0-9_]{0,63}$/;
const CONTINUATION_RE = /^pbx-after-[a-z0-9-]+-$/;

export class UnsafeValue extends Error {}
export const check = (re: RegExp, v: string, what: string): string => {
  if (!re.test(v)) throw new UnsafeValue(`refusing to render ${what} ${JSON.stringify(v)}`);
  return v;
};

/** `<action>` sits inside document > section > context > extension > condition. */
const ACTION = `${'  '.repeat(5)}<action application="`;
const END = '"/>\n';
/**
 * The start of the `set`/`export` line of each variable name that passed VAR_NAME_RE, up to the value: the engine
 * uses a few dozen names, the same ones on every call, and such a name has nothing to escape.
 */
const setPrefixes = new Map<string, { set: string; export: string }>();
/** The start of every `<action>` line of an application (names are literals of the renderer), up to its data. */
const dataPrefixes = new Map<string, string>();
const dataPrefix = (application: string): string => {
  let p = dataPrefixes.get(application);
  if (p === undefined) {
    p = `${ACTION}${application}" data="`;
    dataPrefixes.set(application, p);
  }
  return p;
};

/**
 * The `<action>` lines of one answer. Application names are literals of the renderer; data is always escaped.
 * Lines are collected as pieces (prefixes built once, escaped values) and joined once with the rest of the answer
 * (renderDialplan): appending with `+=` builds a tree of a few dozen string pieces that V8 copies together only when
 * the answer is written to the socket, ~2.5 µs per answer in a loop that evicts the CPU caches between lookups.
 */
export class Actions {
  readonly parts: string[] = [];

  add(application: string, data?: string): void {
    if (data === undefined) this.parts.push(ACTION, application, END);
    else this.parts.push(dataPrefix(application), xmlEscape(data), END);
  }

  set(name: string, value: string, exported = false): void {
    let p = setPrefixes.get(name);
    if (p === undefined) {
      check(VAR_NAME_RE, name, 'variable');
      p = { set: `${dataPrefix('set')}${name}=`, export: `${dataPrefix('export')}${name}=` };
      if (setPrefixes.size < 1024) setPrefixes.set(name, p);
    }
    this.parts.push(exported ? p.export : p.set, xmlEscape(fsText(value, 200)), END);
  }

  /** A line that is the same on every call. */
  line(xml: string): void {
    this.parts.push(xml);
  }

  get xml(): string {
    return this.parts.join('');
  }
}

const constantSet = (name: string, value: string): string => {
  const a = new Actions();
  a.set(name, value);
  return a.xml;
};
/** The two variables every ring step sets before bridging. */
export const BEFORE_BRIDGE =
  constantSet('continue_on_fail', 'true') + constantSet('hangup_after_bridge', 'true');
export const HANGUP_AFTER_BRIDGE = constantSet('hangup_after_bridge', 'true');

/** Domains that passed DOMAIN_RE: the pattern then runs once per tenant instead of once per call. */
const checkedDomains = new Set<string>();
export const checkDomain = (domain: string): string => {
  if (checkedDomains.has(domain)) return domain;
  check(DOMAIN_RE, domain, 'domain');
  if (checkedDomains.size >= 10_000) checkedDomains.clear();
  checkedDomains.add(domain);
  return domain;
};

/** One B leg of a ring step; each carries its own extension (pbx_extension) for CDRs and recordings. */
function leg(t: { number: string; timeoutSec: number }, timeout: boolean, domain: string): string {
  const n = check(EXTENSION_RE, t.number, 'extension');
  return `[${timeout ? `leg_timeout=${Math.trunc(t.timeoutSec)},` : ''}pbx_extension=${n}]user/${n}@${domain}`;
}

function dialString(s: RingStep, domain: string): string {
  let dial = '';
  if (s.strategy === 'SIMULTANEOUS') {
    dial = `{leg_timeout=${Math.trunc(s.timeoutSec)}}`;
    for (let i = 0; i < s.targets.length; i++)
      dial += (i > 0 ? ',' : '') + leg(s.targets[i] as RingTarget, false, domain);
  } else {
    for (let i = 0; i < s.targets.length; i++)
      dial += (i > 0 ? '|' : '') + leg(s.targets[i] as RingTarget, true, domain);
  }
  return dial;
}

/** The variables the voicemail runtime reads (apps/controller/src/outbound/session.ts), but for its reason. */
export function voicemailVars(
  a: Actions,
  mode: string,
  boxId: string | null,
  boxNumber: string | null,
): void {
  a.set('pbx_app', 'voicemail');
  a.set('pbx_vm_action', mode);
  if (boxId) a.set('pbx_vm_box_id', boxId);
  if (boxNumber) a.set('pbx_vm_box', boxNumber);
}

/**
 * A ring step's lines: the bridge, then either the transfer to its continuation (around a per-call token; with the
 * checked values the token is signed for) or what its failure runs inline (RingStep.onFail; `socket` comes from
 * the render options).
 */
type RingLines = {
  bridge: string;
  transfer: string;
  domain: string;
  next: string;
  onFail?: { lines: string; socket: boolean };
};

/** RingStep.onFail's lines: FreeSWITCH expands `${originate_disposition}` when each runs, after the failed bridge. */
function failureLines(f: NonNullable<RingStep['onFail']>): { lines: string; socket: boolean } {
  const a = new Actions();
  if (f.kind === 'hangup') {
    a.add('hangup', '${originate_disposition}');
    return { lines: a.xml, socket: false };
  }
  a.add('answer');
  voicemailVars(a, 'leave', f.boxId, f.boxNumber);
  // The runtime turns the cause into the busy or the unavailable greeting (ringOutcome).
  a.add('set', 'pbx_vm_reason=${originate_disposition}');
  return { lines: a.xml, socket: true };
}

/**
 * The engine makes each ring step once per tenant snapshot and shares it between calls (its Index), so its lines
 * are rendered once: every value in them (extension numbers, domain, continuation) is checked against its pattern
 * and escaped here, when the step is first rendered, exactly as it was per call before. Keyed by the step itself:
 * a step made for a single call (the engine makes none today) would only be rendered and kept until collected.
 */
const ringRendered = new WeakMap<RingStep, RingLines>();
export function ringLines(s: RingStep): RingLines {
  let r = ringRendered.get(s);
  if (r === undefined) {
    const domain = checkDomain(s.domain);
    const a = new Actions();
    a.line(BEFORE_BRIDGE);
    a.add('bridge', dialString(s, domain));
    const next = check(CONTINUATION_RE, s.next, 'continuation');
    const transfer = new Actions();
    transfer.add('transfer', `${next}\${originate_disposition} XML ${domain}`);
    r = { bridge: a.xml, transfer: transfer.xml, domain, next };
    if (s.onFail) r.onFail = failureLines(s.onFail);
    ringRendered.set(s, r);
  }
  return r;
}
