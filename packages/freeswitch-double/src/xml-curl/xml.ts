/**
 * A small strict XML parser for the documents FreeSWITCH accepts from
 * mod_xml_curl: elements, attributes, text, comments, the XML declaration and
 * the five predefined entities plus character references. Anything else
 * (unknown entities, a bare `&` or `<`, mismatched tags, two roots) throws.
 */
export type XmlElement = {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
};

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

const NAME = /^[A-Z_][\w.:-]*/i;

export function decodeEntities(raw: string, where: number): string {
  if (raw.includes('<'))
    throw new XmlSyntaxError(`'<' not allowed in text or attribute value near offset ${where}`);
  return raw.replace(/&([^;&\s]{0,10});?/g, (match, ent: string) => {
    if (!match.endsWith(';')) throw new XmlSyntaxError(`bare '&' near offset ${where}`);
    switch (ent) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const m = /^#(x[0-9a-fA-F]+|\d+)$/.exec(ent);
    if (!m?.[1]) throw new XmlSyntaxError(`unknown entity &${ent}; near offset ${where}`);
    const code = m[1].startsWith('x') ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10);
    return String.fromCodePoint(code);
  });
}

export function parseXml(input: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;

  const skipMisc = (): boolean => {
    if (input.startsWith('<!--', i)) {
      const end = input.indexOf('-->', i + 4);
      if (end < 0) throw new XmlSyntaxError('unterminated comment');
      i = end + 3;
      return true;
    }
    if (input.startsWith('<?', i)) {
      if (i !== 0 && !(root === null && input.slice(0, i).trim() === ''))
        throw new XmlSyntaxError('XML declaration not at the start');
      const end = input.indexOf('?>', i);
      if (end < 0) throw new XmlSyntaxError('unterminated declaration');
      i = end + 2;
      return true;
    }
    return false;
  };

  while (i < input.length) {
    const lt = input.indexOf('<', i);
    const text = input.slice(i, lt < 0 ? input.length : lt);
    if (text.length > 0) {
      const top = stack[stack.length - 1];
      if (top) top.text += decodeEntities(text, i);
      else if (text.trim() !== '') throw new XmlSyntaxError(`text outside the root element at offset ${i}`);
    }
    if (lt < 0) break;
    i = lt;
    if (skipMisc()) continue;
    if (input.startsWith('<![CDATA[', i)) {
      const end = input.indexOf(']]>', i);
      const top = stack[stack.length - 1];
      if (end < 0 || !top) throw new XmlSyntaxError('bad CDATA section');
      top.text += input.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (input[i + 1] === '/') {
      const m = NAME.exec(input.slice(i + 2));
      const open = stack.pop();
      if (!m || !open || open.name !== m[0])
        throw new XmlSyntaxError(`mismatched closing tag at offset ${i}`);
      i += 2 + m[0].length;
      while (/\s/.test(input[i] ?? '')) i++;
      if (input[i] !== '>') throw new XmlSyntaxError(`bad closing tag at offset ${i}`);
      i++;
      continue;
    }
    const m = NAME.exec(input.slice(i + 1));
    if (!m) throw new XmlSyntaxError(`bad tag at offset ${i}`);
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(input.slice(i))?.[0].length ?? 0;
      i += ws;
      if (input.startsWith('/>', i) || input[i] === '>') break;
      if (ws === 0) throw new XmlSyntaxError(`expected whitespace before attribute at offset ${i}`);
      const a = /^([A-Z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(input.slice(i));
      if (!a?.[1]) throw new XmlSyntaxError(`bad attribute at offset ${i}`);
      if (a[1] in el.attrs) throw new XmlSyntaxError(`duplicate attribute ${a[1]} at offset ${i}`);
      el.attrs[a[1]] = decodeEntities(a[2] ?? a[3] ?? '', i);
      i += a[0].length;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) throw new XmlSyntaxError('more than one root element');
    else root = el;
    if (input.startsWith('/>', i)) i += 2;
    else {
      i += 1;
      stack.push(el);
    }
  }
  if (stack.length > 0) throw new XmlSyntaxError(`unclosed element <${stack[stack.length - 1]?.name ?? ''}>`);
  if (!root) throw new XmlSyntaxError('no root element');
  return root;
}
