import { componentName, type JsonSchema } from './json-schema-components.ts';

const MAX_DEPTH = 4;

export const escapeHtml = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

/** Anchor of a component's section on the reference page. */
export const schemaAnchor = (name: string): string =>
  `schema-${name.replaceAll(/[^A-Za-z0-9_-]/g, '-')}`;

/** A short type label: `string (date-time)`, `Money`, `"a" | "b"`, `Plan[]`. */
export function typeLabel(schema: JsonSchema): string {
  const ref = componentName(schema);
  if (ref !== undefined) return `<a href="#${schemaAnchor(ref)}">${escapeHtml(ref)}</a>`;
  if ('const' in schema) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum)) {
    return schema.enum.map((v) => `<code>${escapeHtml(JSON.stringify(v))}</code>`).join(' | ');
  }
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches)) return branches.map(typeLabel).join(' | ');
  if (schema.type === 'array') {
    return `${schema.items ? typeLabel(schema.items as JsonSchema) : 'any'}[]`;
  }
  if (typeof schema.type === 'string') {
    const format = typeof schema.format === 'string' ? ` (${escapeHtml(schema.format)})` : '';
    return `${escapeHtml(schema.type)}${format}`;
  }
  return 'any';
}

/** Constraints worth showing next to a type: lengths, bounds, patterns. */
function constraints(schema: JsonSchema): string {
  const shown: string[] = [];
  const bound = (key: string, label: string) => {
    const value = schema[key];
    if (typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER) {
      shown.push(`${label} ${value}`);
    }
  };
  bound('minLength', 'min length');
  bound('maxLength', 'max length');
  bound('minimum', '≥');
  bound('exclusiveMinimum', '>');
  bound('maximum', '≤');
  bound('exclusiveMaximum', '<');
  bound('minItems', 'min items');
  bound('maxItems', 'max items');
  if (typeof schema.pattern === 'string')
    shown.push(`pattern <code>${escapeHtml(schema.pattern)}</code>`);
  if ('default' in schema)
    shown.push(`default <code>${escapeHtml(JSON.stringify(schema.default))}</code>`);
  return shown.length ? ` <span class="constraints">${shown.join(', ')}</span>` : '';
}

/**
 * A schema as a nested list of fields with types, constraints and descriptions. A top-level
 * reference is expanded from `components`, so an operation shows its fields in place.
 */
export function schemaHtml(
  schema: JsonSchema,
  components: Readonly<Record<string, JsonSchema>> = {},
  depth = 0,
): string {
  const ref = componentName(schema);
  const target = ref === undefined ? undefined : components[ref];
  if (depth === 0 && target) {
    return `<span class="type">${typeLabel(schema)}</span>${schemaHtml(target, {}, depth + 1)}`;
  }
  const description =
    typeof schema.description === 'string'
      ? ` <span class="desc">${escapeHtml(schema.description)}</span>`
      : '';
  const head = `<span class="type">${typeLabel(schema)}</span>${constraints(schema)}${description}`;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  const items = schema.items as JsonSchema | undefined;
  const nested =
    depth >= MAX_DEPTH
      ? ''
      : properties
        ? propertiesHtml(properties, schema.required, depth)
        : items?.properties
          ? propertiesHtml(items.properties as Record<string, JsonSchema>, items.required, depth)
          : '';
  return `${head}${nested}`;
}

function propertiesHtml(
  properties: Record<string, JsonSchema>,
  requiredList: unknown,
  depth: number,
): string {
  const required = new Set(Array.isArray(requiredList) ? (requiredList as string[]) : []);
  const rows = Object.entries(properties).map(
    ([name, property]) =>
      `<li><code class="field">${escapeHtml(name)}</code>${
        required.has(name) ? '<span class="req">required</span>' : ''
      } ${schemaHtml(property, {}, depth + 1)}</li>`,
  );
  return rows.length ? `<ul class="props">${rows.join('')}</ul>` : '';
}
