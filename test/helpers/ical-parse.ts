/**
 * A strict little RFC 5545 reader for tests: checks the line rules (CRLF, folded lines of at most
 * 75 octets), unfolds, and builds the component tree, so a test asserts on parsed properties
 * rather than on substrings.
 */
export interface IcalProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}
export interface IcalComponent {
  name: string;
  props: IcalProperty[];
  children: IcalComponent[];
}

export function parseIcs(text: string): IcalComponent {
  if (!text.endsWith('\r\n')) throw new Error('iCalendar must end with CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const l of physical) {
    if (Buffer.byteLength(l, 'utf8') > 75) throw new Error(`line longer than 75 octets: ${l}`);
    if (l.includes('\n') || l.includes('\r')) throw new Error('bare CR or LF in a line');
  }
  const lines: string[] = [];
  for (const l of physical) {
    if ((l.startsWith(' ') || l.startsWith('\t')) && lines.length) lines[lines.length - 1] += l.slice(1);
    else lines.push(l);
  }
  const stack: IcalComponent[] = [];
  let root: IcalComponent | null = null;
  for (const line of lines) {
    const m = /^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (!m) throw new Error(`not a content line: ${line}`);
    const [, rawName, rawParams, value] = m as unknown as [string, string, string, string];
    const name = rawName.toUpperCase();
    if (name === 'BEGIN') {
      const c: IcalComponent = { name: value.toUpperCase(), props: [], children: [] };
      if (stack.length) stack[stack.length - 1]!.children.push(c);
      else if (root) throw new Error('more than one top-level component');
      else root = c;
      stack.push(c);
      continue;
    }
    if (name === 'END') {
      const c = stack.pop();
      if (!c || c.name !== value.toUpperCase()) throw new Error(`END:${value} does not close ${c?.name ?? 'anything'}`);
      continue;
    }
    if (!stack.length) throw new Error(`property outside a component: ${line}`);
    const params: Record<string, string> = {};
    for (const p of rawParams.split(';').filter(Boolean)) {
      const [k, ...v] = p.split('=');
      params[k!.toUpperCase()] = v.join('=').replace(/^"|"$/g, '');
    }
    stack[stack.length - 1]!.props.push({ name, params, value });
  }
  if (stack.length || !root) throw new Error('unterminated component');
  return root;
}

export const prop = (c: IcalComponent, name: string) => c.props.find((p) => p.name === name);
export const events = (c: IcalComponent) => c.children.filter((x) => x.name === 'VEVENT');
