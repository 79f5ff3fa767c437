// Application arguments split the way switch_separate_string does with a blank delimiter (src/switch_utils.c
// separate_string_blank_delim): runs of blanks separate, single quotes group (and are removed), `\'` is a quote.
export function separateArgs(data: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let has = false;
  for (let i = 0; i < data.length; i++) {
    const c = data[i] ?? '';
    if (c === '\\' && data[i + 1] === "'") {
      cur += "'";
      has = true;
      i++;
    } else if (c === "'") {
      quoted = !quoted;
      has = true;
    } else if ((c === ' ' || c === '\t') && !quoted) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** C's atoi: leading digits (with an optional sign), else 0. */
export function atoi(s: string | undefined): number {
  const m = /^\s*([+-]?\d+)/.exec(s ?? '');
  return m ? Number(m[1]) : 0;
}

/** switch_utils.h switch_true: how FreeSWITCH reads a flag variable (continue_on_fail, local_var_clobber, ...). */
export const switchTrue = (v: string | undefined): boolean =>
  v !== undefined &&
  (/^(?:yes|on|true|t|enabled|enable|allow)$/i.test(v) || (/^-?\d+$/.test(v) && Number(v) !== 0));
