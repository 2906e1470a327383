// Minimal, defensive reading of an OpenAPI 3 document: only what the reference page shows.

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface Operation {
  id: string;
  method: HttpMethod;
  path: string;
  tag: string | null;
  summary: string;
  description: string;
  deprecated: boolean;
  parameters: unknown[];
  requestSchema: unknown;
  responses: { status: string; description: string; schema: unknown }[];
}

export interface TagGroup {
  tag: string | null;
  description: string;
  operations: Operation[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value.map((item: unknown) => item) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function jsonSchemaOf(content: unknown): unknown {
  if (!isRecord(content)) return undefined;
  const json = content['application/json'] ?? Object.values(content)[0];
  return isRecord(json) ? json.schema : undefined;
}

/** Inlines local `$ref`s (`#/...`) so schemas read on their own; cycles stay as `$ref`. */
export function resolveRefs(value: unknown, root: unknown, seen: readonly string[] = [], depth = 0): unknown {
  if (depth > 30) return value;
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, root, seen, depth + 1));
  if (!isRecord(value)) return value;
  const ref = value.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    if (seen.includes(ref)) return { $ref: ref };
    const target = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, part) => (isRecord(node) ? node[part] : undefined), root);
    if (target === undefined) return value;
    return resolveRefs(target, root, [...seen, ref], depth + 1);
  }
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) out[key] = resolveRefs(child, root, seen, depth + 1);
  return out;
}

export function readOperations(doc: unknown): Operation[] {
  if (!isRecord(doc) || !isRecord(doc.paths)) return [];
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isRecord(item)) continue;
    const shared = list(item.parameters);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isRecord(op)) continue;
      const tags = Array.isArray(op.tags)
        ? op.tags.filter((tag): tag is string => typeof tag === 'string')
        : [];
      const responses = isRecord(op.responses)
        ? Object.entries(op.responses).map(([status, response]) => ({
            status,
            description: isRecord(response) ? text(response.description) : '',
            schema: isRecord(response) ? resolveRefs(jsonSchemaOf(response.content), doc) : undefined,
          }))
        : [];
      const ownParameters = list(op.parameters);
      operations.push({
        // Also used as a DOM id by the accordion, so only id-safe characters.
        id: `${method}${path}`.replace(/[^A-Za-z0-9_-]/g, '_'),
        method,
        path,
        tag: tags[0] ?? null,
        summary: text(op.summary),
        description: text(op.description),
        deprecated: op.deprecated === true,
        parameters: [...shared, ...ownParameters].map((parameter) => resolveRefs(parameter, doc)),
        requestSchema: isRecord(op.requestBody)
          ? resolveRefs(jsonSchemaOf(op.requestBody.content), doc)
          : undefined,
        responses,
      });
    }
  }
  return operations;
}

/** Groups operations by their first tag, in the document's tag order, untagged last. */
export function groupByTag(doc: unknown, operations: Operation[]): TagGroup[] {
  const declared = isRecord(doc) && Array.isArray(doc.tags) ? doc.tags.filter(isRecord) : [];
  const order = declared.map((tag) => text(tag.name));
  const descriptions = new Map(declared.map((tag) => [text(tag.name), text(tag.description)]));
  const groups = new Map<string | null, Operation[]>();
  for (const op of operations) groups.set(op.tag, [...(groups.get(op.tag) ?? []), op]);
  const rank = (tag: string | null) => {
    if (tag === null) return Number.MAX_SAFE_INTEGER;
    const index = order.indexOf(tag);
    return index === -1 ? order.length : index;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || String(a).localeCompare(String(b)))
    .map(([tag, ops]) => ({ tag, description: tag ? (descriptions.get(tag) ?? '') : '', operations: ops }));
}
