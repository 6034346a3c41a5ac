import type { JsonSchema, OpenApiDocument } from '../../src/index.ts';

/**
 * Each property of `T`, marked as the TypeScript type declares it. An object literal of this
 * type must name every property of `T` and nothing else, and mark each one right, or the
 * typecheck fails: renaming a field in a client type forces its entry here to change too.
 */
export type FieldPresence<T> = {
  readonly [K in keyof T]-?: Pick<T, K> extends Required<Pick<T, K>> ? 'required' : 'optional';
};

/** `fieldsOf<Topup>()({ id: 'required', … })`, checked against the type as described above. */
export const fieldsOf =
  <T>() =>
  (fields: FieldPresence<T>): FieldPresence<T> =>
    fields;

/** Where a client type sits in the document. */
export type SchemaSite =
  | { readonly operationId: string; readonly response: string }
  | { readonly operationId: string; readonly requestBody: true };

export interface FieldComparison {
  readonly client: { readonly properties: string[]; readonly required: string[] };
  readonly server: { readonly properties: string[]; readonly required: string[] };
}

/**
 * The schema at `site`, then down `at` (a property name, or `[]` for an array's items),
 * with `$ref`s followed and a nullable `anyOf` unwrapped.
 */
export function schemaAt(
  doc: OpenApiDocument,
  site: SchemaSite,
  at: readonly string[] = [],
): JsonSchema {
  const operation = Object.values(doc.paths)
    .flatMap((methods) => Object.values(methods))
    .find((op) => op.operationId === site.operationId);
  if (!operation) throw new Error(`the document has no operation ${site.operationId}`);
  const content =
    'requestBody' in site
      ? operation.requestBody?.content
      : operation.responses[site.response]?.content;
  // Errors are described as application/problem+json, everything else as application/json.
  const media = content?.['application/json'] ?? content?.['application/problem+json'];
  if (!media) {
    const where = 'requestBody' in site ? 'JSON request body' : `JSON ${site.response} response`;
    throw new Error(`${site.operationId} has no ${where}`);
  }
  let schema = resolve(doc, media.schema);
  for (const step of at) {
    const next = step === '[]' ? schema.items : schema.properties?.[step];
    if (!next) throw new Error(`${site.operationId}: no \`${at.join('.')}\` in the schema`);
    schema = resolve(doc, next);
  }
  return schema;
}

/** The property names and required ones of a client type and of the server's schema, sorted. */
export function compareFields(
  fields: Readonly<Record<string, 'required' | 'optional'>>,
  schema: JsonSchema,
): FieldComparison {
  const sorted = (names: Iterable<string>) => [...names].sort();
  return {
    client: {
      properties: sorted(Object.keys(fields)),
      required: sorted(Object.keys(fields).filter((k) => fields[k] === 'required')),
    },
    server: {
      properties: sorted(Object.keys(schema.properties ?? {})),
      required: sorted(schema.required ?? []),
    },
  };
}

function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(doc, target);
  }
  const options = schema.anyOf?.filter((s) => s.type !== 'null') ?? [];
  const [only] = options;
  if (options.length === 1 && only) return resolve(doc, only);
  return schema;
}
