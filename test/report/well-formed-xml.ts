/**
 * A small XML well-formedness check for generated SVG (no library): an optional XML declaration, then exactly one root
 * element; every start tag closed by a matching end tag in order or self-closed; attributes name="value" with no
 * duplicates, no raw `<` and only known entity references; text with no raw `&` outside an entity reference.
 * Returns the elements seen (name and attributes), in document order, or throws saying what is wrong and where.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Text directly inside the element, entity references decoded. */
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);/g;

function decode(text: string, where: string): string {
  if (text.replace(ENTITY, '').includes('&')) throw new Error(`raw & ${where}`);
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function parseAttributes(source: string, tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  let rest = source.trim();
  while (rest.length > 0) {
    const match = /^([A-Za-z_][\w.:-]*)\s*=\s*"([^"<]*)"\s*/.exec(rest);
    if (match === null) throw new Error(`malformed attributes in <${tag}>: ${rest.slice(0, 40)}`);
    const [whole, name = '', value = ''] = match;
    if (Object.hasOwn(attributes, name)) throw new Error(`duplicate attribute ${name} in <${tag}>`);
    attributes[name] = decode(value, `in attribute ${name} of <${tag}>`);
    rest = rest.slice(whole.length);
  }
  return attributes;
}

export function parseXml(document: string): XmlElement[] {
  const body = document.replace(/^<\?xml[^?]*\?>\s*/, '');
  const elements: XmlElement[] = [];
  const open: XmlElement[] = [];
  let roots = 0;
  for (const token of body.match(/<[^>]*>|[^<]+/g) ?? []) {
    if (!token.startsWith('<')) {
      const parent = open[open.length - 1];
      if (parent === undefined) {
        if (token.trim() !== '') throw new Error(`text outside the root element: ${token.slice(0, 40)}`);
        continue;
      }
      parent.text += decode(token, `in the text of <${parent.name}>`);
      continue;
    }
    if (token.startsWith('</')) {
      const name = token.slice(2, -1).trim();
      const top = open.pop();
      if (top?.name !== name) throw new Error(`</${name}> closes <${top?.name ?? 'nothing'}>`);
      continue;
    }
    const selfClosing = token.endsWith('/>');
    const inner = token.slice(1, selfClosing ? -2 : -1);
    const name = NAME.exec(inner)?.[0];
    if (name === undefined) throw new Error(`malformed tag ${token.slice(0, 40)}`);
    if (open.length === 0 && ++roots > 1) throw new Error(`a second root element <${name}>`);
    const element: XmlElement = {
      name,
      attributes: parseAttributes(inner.slice(name.length), name),
      text: '',
    };
    elements.push(element);
    if (!selfClosing) open.push(element);
  }
  if (open.length > 0) throw new Error(`unclosed <${open.map((e) => e.name).join('>, <')}>`);
  if (roots !== 1) throw new Error('no root element');
  return elements;
}
