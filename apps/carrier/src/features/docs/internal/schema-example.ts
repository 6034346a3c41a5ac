import { componentName, type JsonSchema } from './json-schema-components.ts';

const MAX_DEPTH = 6;

/**
 * A plausible value for a schema, for the reference page's curl examples: the schema's own
 * `example` or `default` where it has one, else the simplest value of its type.
 */
export function exampleOf(
  schema: JsonSchema,
  components: Readonly<Record<string, JsonSchema>>,
  depth = 0,
): unknown {
  if (depth > MAX_DEPTH) return null;
  if ('example' in schema) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('default' in schema) return schema.default;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const ref = componentName(schema);
  if (ref !== undefined) {
    const target = components[ref];
    return target ? exampleOf(target, components, depth + 1) : null;
  }
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches)) {
    const first = branches.find((b) => b.type !== 'null') ?? branches[0];
    return first ? exampleOf(first, components, depth + 1) : null;
  }
  switch (schema.type) {
    case 'object':
      return objectExample(schema, components, depth);
    case 'array':
      return schema.items ? [exampleOf(schema.items as JsonSchema, components, depth + 1)] : [];
    case 'string':
      return stringExample(schema);
    case 'integer':
    case 'number':
      return numberExample(schema);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

function objectExample(
  schema: JsonSchema,
  components: Readonly<Record<string, JsonSchema>>,
  depth: number,
): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  // Required fields only, unless none is: then every field, to show the shape.
  const shown = Object.keys(properties).filter((name) => required.size === 0 || required.has(name));
  return Object.fromEntries(
    shown.map((name) => [name, exampleOf(properties[name] ?? {}, components, depth + 1)]),
  );
}

function numberExample(schema: JsonSchema): number {
  if (typeof schema.exclusiveMinimum === 'number') return Math.floor(schema.exclusiveMinimum) + 1;
  return typeof schema.minimum === 'number' && schema.minimum > 0 ? schema.minimum : 0;
}

const stringsByFormat: Record<string, string> = {
  'date-time': '2026-03-07T15:00:00.000Z',
  date: '2026-03-07',
  email: 'jane.doe@example.com',
  uuid: '6f1c1a2e-8d3b-4c7e-9a57-0b2f4e1d9c33',
};

function stringExample(schema: JsonSchema): string {
  const byFormat = typeof schema.format === 'string' ? stringsByFormat[schema.format] : undefined;
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  return byFormat ?? 'string'.padEnd(minLength, 'x');
}
