// `${name}` in an application's data, replaced by the channel variable (empty when unset) when the application runs,
// as switch_channel_expand_variables_check does (src/switch_channel.c). Only the plain form is modelled: no `$${}`
// globals, no `${api(args)}` calls, no nesting.
const VAR = /\$\{([\w.-]+)\}/g;

export function expandVariables(data: string, get: (name: string) => string | undefined): string {
  return data.includes('${') ? data.replace(VAR, (_m, name: string) => get(name) ?? '') : data;
}
