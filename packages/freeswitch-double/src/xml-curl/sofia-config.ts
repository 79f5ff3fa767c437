import type { XmlElement } from './xml.js';

type NameValue = { name: string; value: string };

/** One `<gateway>` of a sofia.conf answer, as sofia.c's parse_gateways reads it (FreeSWITCH 1.10). */
export type SofiaGateway = {
  name: string;
  params: NameValue[];
  variables: (NameValue & { direction: string | null })[];
};

export type SofiaConfig = { kind: 'sofia'; profiles: { name: string; gateways: SofiaGateway[] }[] };

const kids = (el: XmlElement | undefined, name: string) =>
  el ? el.children.filter((c) => c.name === name) : [];

/**
 * The `configuration` section holding `<configuration name="sofia.conf">` (switch_xml.c, switch_xml_open_cfg, finds
 * it by name): profiles → gateways → gateway with `<params>`/`<variables>` or bare `<param>`/`<variable>` children,
 * as parse_gateways accepts both. Params without a name or value read as "" (switch_xml_attr_soft).
 */
export function parseSofiaConfig(section: XmlElement): SofiaConfig {
  const cfg = kids(section, 'configuration').find((c) => c.attrs.name === 'sofia.conf');
  if (!cfg) throw new Error('configuration section without <configuration name="sofia.conf">');
  const profiles = kids(kids(cfg, 'profiles')[0], 'profile').map((p) => ({
    name: p.attrs.name ?? '',
    gateways: kids(kids(p, 'gateways')[0], 'gateway').map((g) => {
      const paramsParent = kids(g, 'params')[0] ?? g;
      const varsParent = kids(g, 'variables')[0] ?? g;
      return {
        name: g.attrs.name ?? '',
        params: kids(paramsParent, 'param').map((x) => ({
          name: x.attrs.name ?? '',
          value: x.attrs.value ?? '',
        })),
        variables: kids(varsParent, 'variable').map((x) => ({
          name: x.attrs.name ?? '',
          value: x.attrs.value ?? '',
          direction: x.attrs.direction ?? null,
        })),
      };
    }),
  }));
  return { kind: 'sofia', profiles };
}
