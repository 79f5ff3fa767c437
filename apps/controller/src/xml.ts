import { xmlEscape } from './text.js';

/** A tiny element tree so that every attribute goes through xmlEscape. */
export type Node = { name: string; attrs?: Record<string, string | undefined>; children?: Node[] };

export const el = (name: string, attrs: Record<string, string | undefined> = {}, children: Node[] = []): Node => ({ name, attrs, children });

function render(node: Node, indent: string, out: string[]): void {
  const attrs = Object.entries(node.attrs ?? {})
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(v)}"`)
    .join('');
  const kids = node.children ?? [];
  if (kids.length === 0) {
    out.push(`${indent}<${node.name}${attrs}/>`);
    return;
  }
  out.push(`${indent}<${node.name}${attrs}>`);
  for (const k of kids) render(k, `${indent}  `, out);
  out.push(`${indent}</${node.name}>`);
}

export function document(section: Node): string {
  const out = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>'];
  render(el('document', { type: 'freeswitch/xml' }, [section]), '', out);
  return `${out.join('\n')}\n`;
}

/** FreeSWITCH's "not found": fall through to the next binding / static XML (which is empty in our config). */
export const NOT_FOUND = document(el('section', { name: 'result' }, [el('result', { status: 'not found' })]));
