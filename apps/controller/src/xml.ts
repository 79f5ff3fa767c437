import { xmlEscape } from './text.js';

// Answers are built as strings, line by line, in FreeSWITCH's document layout (two spaces per level). Element and
// attribute names are literals of this code; every attribute value goes through `attr`, i.e. through xmlEscape.

const INDENT = Array.from({ length: 16 }, (_, i) => '  '.repeat(i));
const indent = (depth: number): string => INDENT[depth] ?? '  '.repeat(depth);

/** ` name="value"`, the value XML-escaped. */
export const attr = (name: string, value: string): string => ` ${name}="${xmlEscape(value)}"`;

/** `<name attrs>` on its own line. */
export const open = (depth: number, name: string, attrs = ''): string =>
  `${indent(depth)}<${name}${attrs}>\n`;

/** `</name>` on its own line. */
export const close = (depth: number, name: string): string => `${indent(depth)}</${name}>\n`;

/** An element without children: `<name attrs/>`. */
export const leaf = (depth: number, name: string, attrs = ''): string =>
  `${indent(depth)}<${name}${attrs}/>\n`;

/** An element around already rendered children, or a leaf when there are none. */
export const wrap = (depth: number, name: string, attrs: string, children: string): string =>
  children === ''
    ? leaf(depth, name, attrs)
    : `${indent(depth)}<${name}${attrs}>\n${children}${indent(depth)}</${name}>\n`;

/** The whole answer around one `<section>` rendered at depth 1. */
export const document = (section: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<document type="freeswitch/xml">\n${section}</document>\n`;

/** FreeSWITCH's "not found": fall through to the next binding / static XML (which is empty in our config). */
export const NOT_FOUND = document(
  wrap(1, 'section', attr('name', 'result'), leaf(2, 'result', attr('status', 'not found'))),
);
