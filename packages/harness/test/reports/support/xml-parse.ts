/** An element of a parsed XML document. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text, entities decoded. */
  readonly text: string;
}

/**
 * A strict parser for the XML our reports write (elements, attributes, text, character and
 * the five predefined entity references): it throws on anything not well-formed, such as an
 * unescaped `<` or `&`, a control character XML forbids, or a tag closed out of order.
 */
export function parseXml(source: string): XmlElement {
  const forbidden = source.match(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
  if (forbidden)
    throw new Error(
      `character U+${forbidden[0].codePointAt(0)?.toString(16)} is not allowed in XML`,
    );
  let rest = source.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: {
    name: string;
    attributes: Record<string, string>;
    children: XmlElement[];
    text: string;
  }[] = [];
  let root: XmlElement | undefined;
  while (rest.length > 0) {
    if (rest.startsWith('</')) {
      const match = /^<\/([\w:-]+)\s*>/.exec(rest);
      const open = stack.pop();
      if (!match || !open || open.name !== match[1])
        throw new Error(`unexpected close tag near ${rest.slice(0, 40)}`);
      const element: XmlElement = open;
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
      rest = rest.slice(match[0].length);
    } else if (rest.startsWith('<')) {
      const match = /^<([\w:-]+)((?:\s+[\w:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(rest);
      if (!match) throw new Error(`malformed tag near ${rest.slice(0, 60)}`);
      const attributes: Record<string, string> = {};
      for (const [, key, double, single] of (match[2] ?? '').matchAll(
        /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g,
      )) {
        if (key === undefined || key in attributes)
          throw new Error(`repeated or empty attribute ${key}`);
        attributes[key] = decode(double ?? single ?? '');
      }
      const element = { name: match[1] ?? '', attributes, children: [] as XmlElement[], text: '' };
      if (match[3] === '/') {
        const parent = stack[stack.length - 1];
        if (parent) parent.children.push(element);
        else root = element;
      } else {
        stack.push(element);
      }
      rest = rest.slice(match[0].length);
    } else {
      const end = rest.indexOf('<');
      const raw = end === -1 ? rest : rest.slice(0, end);
      const parent = stack[stack.length - 1];
      if (parent) parent.text += decode(raw);
      else if (raw.trim() !== '') throw new Error('text outside the root element');
      rest = end === -1 ? '' : rest.slice(end);
    }
  }
  if (stack.length > 0 || !root)
    throw new Error(`unclosed element ${stack[stack.length - 1]?.name}`);
  return root;
}

function decode(raw: string): string {
  return raw.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare & in ${raw.slice(0, 40)}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (name in named) return named[name] ?? '';
    const code = /^#x([0-9a-f]+)$/i.exec(name)?.[1];
    if (code) return String.fromCodePoint(Number.parseInt(code, 16));
    const decimal = /^#(\d+)$/.exec(name)?.[1];
    if (decimal) return String.fromCodePoint(Number(decimal));
    throw new Error(`unknown entity &${name};`);
  });
}

/** Every element named `name` under `element`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [
    ...(child.name === name ? [child] : []),
    ...findAll(child, name),
  ]);
}
