import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

/** A JSON Schema (draft 2020-12) object, as OpenAPI 3.1 embeds it. */
export type JsonSchema = { readonly [keyword: string]: unknown };

const COMPONENT_PREFIX = '#/components/schemas/';

/**
 * Converts zod schemas to JSON Schema and hoists every schema named with `.meta({id})` into
 * one shared `components.schemas` map. Input and output shapes of one id may differ (an
 * output object is closed, an input default is optional): the second shape gets a suffix.
 */
export class JsonSchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  /** The JSON Schema of `schema` as a request (`input`) or response (`output`) sees it. */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const {
      $schema: _dialect,
      $defs,
      ...root
    } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as { $schema?: string; $defs?: Record<string, JsonSchema> };
    const defs = $defs ?? {};
    const names = this.#componentNames(defs, io);
    for (const [name, def] of Object.entries(defs)) {
      this.schemas[names.get(name) ?? name] = rewriteRefs(def, names) as JsonSchema;
    }
    return rewriteRefs(root, names) as JsonSchema;
  }

  /** Picks a component name per `$defs` entry, renaming those that clash with another shape. */
  #componentNames(defs: Record<string, JsonSchema>, io: 'input' | 'output'): Map<string, string> {
    const names = new Map(Object.keys(defs).map((name) => [name, name]));
    // Renaming one definition changes the refs inside others, so repeat until stable.
    for (let round = 0; round <= Object.keys(defs).length; round++) {
      let changed = false;
      for (const [name, def] of Object.entries(defs)) {
        const shape = rewriteRefs(def, names);
        const current = names.get(name) ?? name;
        if (this.#fits(current, shape)) continue;
        names.set(name, this.#freeName(name, io, shape));
        changed = true;
      }
      if (!changed) break;
    }
    return names;
  }

  #fits(name: string, shape: unknown): boolean {
    const existing = this.schemas[name];
    return existing === undefined || isDeepStrictEqual(existing, shape);
  }

  #freeName(name: string, io: 'input' | 'output', shape: unknown): string {
    const preferred = io === 'input' ? `${name}Input` : `${name}Output`;
    if (this.#fits(preferred, shape)) return preferred;
    for (let n = 2; ; n++) if (this.#fits(`${preferred}${n}`, shape)) return `${preferred}${n}`;
  }
}

/** Points zod's local `#/$defs/<id>` refs at `#/components/schemas/<name>`. */
function rewriteRefs(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')) {
      const id = decodeURIComponent(inner.slice('#/$defs/'.length));
      out[key] = `${COMPONENT_PREFIX}${encodeURIComponent(names.get(id) ?? id)}`;
    } else {
      out[key] = rewriteRefs(inner, names);
    }
  }
  return out;
}

/** The component a `$ref` names, or undefined for any other schema. */
export function componentName(schema: JsonSchema): string | undefined {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith(COMPONENT_PREFIX)) return undefined;
  return decodeURIComponent(ref.slice(COMPONENT_PREFIX.length));
}
