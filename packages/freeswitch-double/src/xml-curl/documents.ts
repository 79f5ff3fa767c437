import { parseXml, type XmlElement } from './xml.js';

/** A document did not have the structure FreeSWITCH expects. */
export class FsDocumentError extends Error {
  override name = 'FsDocumentError';
}

export type NameValue = { name: string; value: string };
export type DirectoryUser = {
  id: string;
  params: NameValue[];
  variables: NameValue[];
  cacheable: string | null;
};
export type DirectoryDomain = {
  name: string;
  params: NameValue[];
  variables: NameValue[];
  users: DirectoryUser[];
};
export type DialplanAction = { application: string; data: string | null };
export type DialplanCondition = {
  field: string | null;
  expression: string | null;
  actions: DialplanAction[];
  antiActions: DialplanAction[];
};
export type DialplanExtension = { name: string; conditions: DialplanCondition[] };
export type DialplanContext = { name: string; extensions: DialplanExtension[] };

export type FsDocument =
  | { kind: 'not-found' }
  | { kind: 'directory'; domains: DirectoryDomain[] }
  | { kind: 'dialplan'; contexts: DialplanContext[] }
  | SofiaConfig;

import { parseSofiaConfig, type SofiaConfig } from './sofia-config.js';

const fail = (msg: string): never => {
  throw new FsDocumentError(msg);
};

function only(el: XmlElement, names: string[]): void {
  for (const c of el.children) if (!names.includes(c.name)) fail(`<${el.name}> must not contain <${c.name}>`);
}

function attr(el: XmlElement, name: string): string {
  const v = el.attrs[name];
  if (v === undefined || v === '') fail(`<${el.name}> needs a ${name} attribute`);
  return v ?? '';
}

function nameValues(parent: XmlElement | undefined, item: string): NameValue[] {
  if (!parent) return [];
  only(parent, [item]);
  return parent.children.map((c) => ({
    name: attr(c, 'name'),
    value: c.attrs.value ?? fail(`<${item} name="${c.attrs.name ?? ''}"> has no value`),
  }));
}

function one(el: XmlElement, name: string): XmlElement | undefined {
  const found = el.children.filter((c) => c.name === name);
  if (found.length > 1) fail(`<${el.name}> has more than one <${name}>`);
  return found[0];
}

function user(u: XmlElement): DirectoryUser {
  only(u, ['params', 'variables']);
  return {
    id: attr(u, 'id'),
    params: nameValues(one(u, 'params'), 'param'),
    variables: nameValues(one(u, 'variables'), 'variable'),
    cacheable: u.attrs.cacheable ?? null,
  };
}

function usersOf(el: XmlElement): XmlElement[] {
  only(el, ['user']);
  return el.children;
}

function domain(d: XmlElement): DirectoryDomain {
  only(d, ['params', 'variables', 'groups', 'users', 'user']);
  const users: XmlElement[] = [];
  for (const c of d.children) {
    if (c.name === 'user') users.push(c);
    if (c.name === 'users') users.push(...usersOf(c));
    if (c.name === 'groups') {
      only(c, ['group']);
      for (const g of c.children) {
        attr(g, 'name');
        only(g, ['users']);
        for (const us of g.children) users.push(...usersOf(us));
      }
    }
  }
  return {
    name: attr(d, 'name'),
    params: nameValues(one(d, 'params'), 'param'),
    variables: nameValues(one(d, 'variables'), 'variable'),
    users: users.map(user),
  };
}

function action(a: XmlElement): DialplanAction {
  if (a.children.length > 0) fail(`<${a.name}> must be empty`);
  return { application: attr(a, 'application'), data: a.attrs.data ?? null };
}

function context(c: XmlElement): DialplanContext {
  only(c, ['extension']);
  return {
    name: attr(c, 'name'),
    extensions: c.children.map((e) => {
      only(e, ['condition']);
      if (e.children.length === 0) fail(`<extension name="${e.attrs.name ?? ''}"> has no condition`);
      return {
        name: attr(e, 'name'),
        conditions: e.children.map((cond) => {
          only(cond, ['action', 'anti-action']);
          return {
            field: cond.attrs.field ?? null,
            expression: cond.attrs.expression ?? null,
            actions: cond.children.filter((x) => x.name === 'action').map(action),
            antiActions: cond.children.filter((x) => x.name === 'anti-action').map(action),
          };
        }),
      };
    }),
  };
}

/**
 * Parses an answer the way FreeSWITCH reads it (switch_xml.c): a
 * `<document type="freeswitch/xml">` whose section is `result` ("not found"),
 * `directory` (domain/users/user with params and variables) or `dialplan`
 * (context/extension/condition/action). Throws on anything else.
 */
export function parseFsDocument(xml: string): FsDocument {
  const root = parseXml(xml);
  if (root.name !== 'document') fail(`root element is <${root.name}>, expected <document>`);
  if (root.attrs.type !== 'freeswitch/xml') fail('document type must be "freeswitch/xml"');
  only(root, ['section']);
  const section = root.children[0];
  if (!section || root.children.length !== 1) return fail('expected exactly one <section>');
  const name = attr(section, 'name');
  if (name === 'result') {
    only(section, ['result']);
    if (section.children.length !== 1 || section.children[0]?.attrs.status !== 'not found')
      fail('result section must hold <result status="not found"/>');
    return { kind: 'not-found' };
  }
  if (name === 'directory') {
    only(section, ['domain']);
    return { kind: 'directory', domains: section.children.map(domain) };
  }
  if (name === 'dialplan') {
    only(section, ['context']);
    return { kind: 'dialplan', contexts: section.children.map(context) };
  }
  if (name === 'configuration') return parseSofiaConfig(section);
  return fail(`unexpected section "${name}"`);
}
