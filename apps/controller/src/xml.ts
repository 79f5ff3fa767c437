import { xmlEscape } from './text.js';

/** A tiny element tree so that every attribute goes through xmlEscape. */
export type Node = { name: string; attrs?: Record<string, string | undefined>; children?: Node[] };

export const el = (
  name: string,
  attrs: Record<string, string | undefined> = {},
  children: Node[] = [],
): Node => ({ name, attrs, children });

const INDENT = Array.from({ length: 16 }, (_, i) => '  '.repeat(i));

function render(node: Node, depth: number, out: string[]): void {
  const indent = INDENT[depth] ?? '  '.repeat(depth);
  let attrs = '';
  const a = node.attrs;
  if (a) for (const k in a) if (a[k] !== undefined) attrs += ` ${k}="${xmlEscape(a[k])}"`;
  const kids = node.children;
  if (!kids || kids.length === 0) {
    out.push(`${indent}<${node.name}${attrs}/>`);
    return;
  }
  out.push(`${indent}<${node.name}${attrs}>`);
  for (const k of kids) render(k, depth + 1, out);
  out.push(`${indent}</${node.name}>`);
}

export function document(section: Node): string {
  const out = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>'];
  render(el('document', { type: 'freeswitch/xml' }, [section]), 0, out);
  return `${out.join('\n')}\n`;
}

/** FreeSWITCH's "not found": fall through to the next binding / static XML (which is empty in our config). */
export const NOT_FOUND = document(el('section', { name: 'result' }, [el('result', { status: 'not found' })]));
