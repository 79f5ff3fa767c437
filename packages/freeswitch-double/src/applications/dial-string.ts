// A FreeSWITCH 1.10 dial string, parsed as src/switch_ivr_originate.c `switch_ivr_originate` parses the data of
// `bridge`: leading `{k=v,...}` sets (repeatable) whose variables go to every leg, then failover groups separated by
// `|` and tried in order, each a list of legs separated by `,` and rung at once, each leg optionally prefixed by
// `[k=v,...]` sets of its own. A set may start with `^^<char>` to use <char> instead of `,` between its variables
// (src/switch_event.c `switch_event_create_brackets`). Splitting follows src/switch_utils.c
// `switch_separate_string`: a backslash protects the next character, paired single quotes protect delimiters and
// are removed, leading/trailing blanks are trimmed, and a piece starting with `^^<char>` is split on <char>.
//
// Not modelled, and refused with a DialStringError naming the syntax rather than guessed at: the enterprise
// originate (`:_:` between lists, `<k=v>` variables; switch_ivr_enterprise_originate) and indexed variable names
// (`name[1]=v`, array headers of switch_event.c). A string FreeSWITCH rejects with "Parse Error!" or "No origination
// URL specified!" (an unbalanced bracket, nothing to dial) is refused the same way: the controller never means one.

import { switchTrue } from './args.js';

export class DialStringError extends Error {}

export type Vars = ReadonlyArray<readonly [string, string]>;

export interface DialLeg {
  /** The endpoint type, before the first `/` (`user`, `sofia`, `error`, ...). */
  endpoint: string;
  /** What follows the first `/` (`1002@acme.test`, `gateway/trunk-a/+15551234`, `USER_BUSY`). */
  target: string;
  /** The leg's own `[...]` variables, in the order the event holds them. */
  vars: Vars;
}

export interface DialString {
  /** The `{...}` variables of every leg. */
  globals: Vars;
  /** Failover groups, tried in order; the legs of one group are rung at once. */
  groups: DialLeg[][];
}

/** switch_ivr_originate.c marks the commas inside `[...]` before splitting a group into legs. */
const QUOTED_ESC_COMMA = '\x01';
const UNQUOTED_ESC_COMMA = '\x02';
const MAX_PEERS = 128;
const UNESCAPED: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', s: ' ' };

/**
 * The variables of a CHANNEL_DATA event (switch_event.c `switch_event_base_add_header` with EF_UNIQ_HEADERS): names
 * are case-insensitive, a repeated name replaces the old value and moves to the end, an empty value deletes it.
 */
class VarSet {
  private readonly byName = new Map<string, readonly [string, string]>();

  add(name: string, value: string): void {
    if (name.includes('['))
      throw new DialStringError(`indexed variable ${name} is not modelled by the double`);
    this.byName.delete(name.toLowerCase());
    if (value !== '') this.byName.set(name.toLowerCase(), [name, value]);
  }

  list(): Vars {
    return [...this.byName.values()];
  }
}

/** switch_utils.c `switch_find_end_paren`: the index of the `close` matching the `open` at `from`, or -1. */
function findEnd(s: string, from: number, open: string, close: string): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    if (s[i] === open) depth++;
    else if (s[i] === close && --depth === 0) return i;
  }
  return -1;
}

/** switch_utils.c `cleanup_separated_string`: escapes resolved, paired quotes dropped, outer blanks trimmed. */
function cleanup(str: string, delim: string): string {
  let i = 0;
  while (str[i] === ' ') i++;
  let out = '';
  let keep = 0;
  let quoted = false;
  for (; i < str.length; i++) {
    const ch = str[i] as string;
    const next = str[i + 1];
    if (ch === '\\' && next !== undefined) {
      const un = UNESCAPED[next];
      if (next === "'" || next === '"' || next === delim || next === '\\' || un !== undefined) {
        out += un ?? next;
        keep = out.length;
        i++;
        continue;
      }
    }
    if (ch === "'" && (quoted || str.includes("'", i + 1))) {
      quoted = !quoted;
      if (quoted) keep = out.length;
    } else {
      out += ch;
      if (ch !== ' ' || quoted) keep = out.length;
    }
  }
  return out.slice(0, keep);
}

/** switch_utils.c `switch_separate_string` (a delimiter other than a blank): at most `max` pieces, the last keeps the rest. */
export function separate(input: string, delim: string, max = Infinity): string[] {
  let buf = input;
  if (buf.startsWith('^^') && buf.length >= 4) {
    delim = buf[2] as string;
    buf = buf.slice(3);
  }
  const pieces: string[] = [];
  let start = -1;
  let quoted = false;
  for (let i = 0; i < buf.length; i++) {
    if (start < 0) start = i;
    // Once the last allowed piece has started it keeps the rest of the string.
    if (pieces.length + 1 >= max) break;
    const ch = buf[i];
    if (ch === '\\') i++;
    else if (ch === "'" && (quoted || buf.includes("'", i + 1))) quoted = !quoted;
    else if (ch === delim && !quoted) {
      pieces.push(buf.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) pieces.push(buf.slice(start));
  return pieces.map((p) => cleanup(p, delim));
}

/**
 * switch_event.c `switch_event_create_brackets` for the set opening `s`: its `name=value` pairs (a pair without
 * `=` or with nothing after it is skipped) are added to `into`; returns what follows the set, or undefined when
 * the set is not closed.
 */
function brackets(s: string, open: string, close: string, delim: string, into: VarSet): string | undefined {
  const end = findEnd(s, 0, open, close);
  if (end < 0) return undefined;
  let body = s.slice(1, end);
  if (body.startsWith('^^')) {
    delim = body[2] ?? '';
    body = body.slice(3);
  }
  for (const pair of separate(body, delim)) {
    const nv = separate(pair, '=', 2);
    if (nv.length === 2) into.add(nv[0] as string, nv[1] as string);
  }
  return s.slice(end + 1);
}

const trimStart = (s: string) => s.replace(/^ +/, '');

/** One `|` group: commas inside `[...]` are marked first so that only the commas between legs split it. */
function parseGroup(group: string, whole: string): DialLeg[] {
  let marked = '';
  let end = -1;
  let quoted = false;
  let alt = false;
  for (let i = 0; i < group.length; i++) {
    let ch = group[i] as string;
    if (end < 0 && ch === '[') {
      end = findEnd(group, i, '[', ']');
      alt = group.startsWith('^^', i + 1);
      quoted = false;
    }
    if (ch === "'") quoted = !quoted;
    if (end >= 0 && i < end && ch === ',' && group[i - 1] !== '\\')
      ch = quoted || alt ? QUOTED_ESC_COMMA : UNQUOTED_ESC_COMMA;
    if (i === end) end = -1;
    marked += ch;
  }
  const legs = separate(marked, ',', MAX_PEERS);
  if (legs.length === 0) throw new DialStringError(`empty failover group in ${JSON.stringify(whole)}`);
  return legs.map((text) => {
    let rest = trimStart(text);
    const locals = new VarSet();
    while (rest.startsWith('[')) {
      const close = findEnd(rest, 0, '[', ']');
      if (close < 0) throw new DialStringError(`unclosed [ in ${JSON.stringify(whole)}`);
      rest = rest.slice(0, close).replaceAll(QUOTED_ESC_COMMA, ',') + rest.slice(close);
      const after = brackets(rest, '[', ']', UNQUOTED_ESC_COMMA, locals);
      if (after === undefined) throw new DialStringError(`unclosed [ in ${JSON.stringify(whole)}`);
      rest = after;
    }
    rest = trimStart(rest);
    const slash = rest.indexOf('/');
    return {
      endpoint: slash < 0 ? rest : rest.slice(0, slash),
      target: slash < 0 ? '' : rest.slice(slash + 1),
      vars: locals.list(),
    };
  });
}

export function parseDialString(input: string): DialString {
  // switch_ivr_originate hands any string with `:_:` to switch_ivr_enterprise_originate.
  if (input.includes(':_:'))
    throw new DialStringError(
      `enterprise originate (:_:) is not modelled by the double: ${JSON.stringify(input)}`,
    );
  let data = trimStart(input);
  if (data.startsWith('<'))
    throw new DialStringError(
      `<...> (enterprise) variables are not modelled by the double: ${JSON.stringify(input)}`,
    );
  const globals = new VarSet();
  while (data.startsWith('{')) {
    const after = brackets(data, '{', '}', ',', globals);
    if (after === undefined) throw new DialStringError(`unclosed { in ${JSON.stringify(input)}`);
    data = after;
  }
  data = trimStart(data);
  if (data === '') throw new DialStringError(`nothing to dial in ${JSON.stringify(input)}`);
  return { globals: globals.list(), groups: separate(data, '|', MAX_PEERS).map((g) => parseGroup(g, input)) };
}

/**
 * The variables a leg's channel ends up with, in the order switch_ivr_originate sets them: the leg's `[...]` ones,
 * then the `{...}` ones — so for a name in both the `{}` value wins — unless `local_var_clobber` is true among
 * the `{}` ones, which sets them first so that the leg's own win.
 */
export function legVariables(globals: Vars, leg: DialLeg): Vars {
  const clobber = switchTrue(globals.find(([n]) => n.toLowerCase() === 'local_var_clobber')?.[1]);
  return clobber ? [...globals, ...leg.vars] : [...leg.vars, ...globals];
}
