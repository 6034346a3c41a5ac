/**
 * A small JSON Schema (2020-12) validator for the keywords the generated scenario schema uses,
 * so a test can prove an editor would accept a good file and flag a bad one without pulling in
 * a full validator. A keyword it does not know throws: a silent pass would prove nothing.
 */
export function validateJsonSchema(schema: unknown, value: unknown, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  if (typeof schema !== 'object' || schema === null) throw new Error(`${path}: not a schema`);
  const s = schema as Record<string, unknown>;
  const errors: string[] = [];
  for (const [keyword, arg] of Object.entries(s)) {
    if (annotations.has(keyword)) continue;
    const check = keywords[keyword];
    if (!check)
      throw new Error(`${path}: keyword ${keyword} is not supported by this test validator`);
    errors.push(...check(arg, value, path, s));
  }
  return errors;
}

const annotations = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'default',
  'examples',
  'format',
]);

type Check = (
  arg: unknown,
  value: unknown,
  path: string,
  schema: Record<string, unknown>,
) => string[];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const typeOf = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
};

const keywords: Record<string, Check> = {
  type: (arg, value, path) => {
    const allowed = Array.isArray(arg) ? arg : [arg];
    const actual = typeOf(value);
    const ok = allowed.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    return ok ? [] : [`${path}: expected ${allowed.join('|')}, got ${actual}`];
  },
  enum: (arg, value, path) =>
    (arg as unknown[]).some((v) => JSON.stringify(v) === JSON.stringify(value))
      ? []
      : [`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(arg)}`],
  const: (arg, value, path) =>
    JSON.stringify(arg) === JSON.stringify(value)
      ? []
      : [`${path}: expected ${JSON.stringify(arg)}`],
  pattern: (arg, value, path) =>
    typeof value !== 'string' || new RegExp(arg as string, 'u').test(value)
      ? []
      : [`${path}: ${JSON.stringify(value)} does not match ${String(arg)}`],
  minLength: (arg, value, path) =>
    typeof value === 'string' && [...value].length < (arg as number) ? [`${path}: too short`] : [],
  maxLength: (arg, value, path) =>
    typeof value === 'string' && [...value].length > (arg as number) ? [`${path}: too long`] : [],
  minimum: (arg, value, path) =>
    typeof value === 'number' && value < (arg as number) ? [`${path}: below ${String(arg)}`] : [],
  maximum: (arg, value, path) =>
    typeof value === 'number' && value > (arg as number) ? [`${path}: above ${String(arg)}`] : [],
  exclusiveMinimum: (arg, value, path) =>
    typeof value === 'number' && value <= (arg as number)
      ? [`${path}: not above ${String(arg)}`]
      : [],
  exclusiveMaximum: (arg, value, path) =>
    typeof value === 'number' && value >= (arg as number)
      ? [`${path}: not below ${String(arg)}`]
      : [],
  minItems: (arg, value, path) =>
    Array.isArray(value) && value.length < (arg as number) ? [`${path}: too few items`] : [],
  maxItems: (arg, value, path) =>
    Array.isArray(value) && value.length > (arg as number) ? [`${path}: too many items`] : [],
  items: (arg, value, path) =>
    Array.isArray(value)
      ? value.flatMap((item, i) => validateJsonSchema(arg, item, `${path}[${i}]`))
      : [],
  required: (arg, value, path) =>
    isObject(value)
      ? (arg as string[]).filter((k) => !(k in value)).map((k) => `${path}: missing ${k}`)
      : [],
  properties: (arg, value, path) =>
    isObject(value)
      ? Object.entries(arg as Record<string, unknown>).flatMap(([k, sub]) =>
          k in value ? validateJsonSchema(sub, value[k], `${path}.${k}`) : [],
        )
      : [],
  additionalProperties: (arg, value, path, schema) => {
    if (!isObject(value)) return [];
    const declared = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
    return Object.keys(value)
      .filter((k) => !declared.includes(k))
      .flatMap((k) =>
        arg === false
          ? [`${path}: unknown key ${k}`]
          : validateJsonSchema(arg, value[k], `${path}.${k}`),
      );
  },
  propertyNames: (arg, value, path) =>
    isObject(value)
      ? Object.keys(value).flatMap((k) => validateJsonSchema(arg, k, `${path}.${k}(name)`))
      : [],
  anyOf: (arg, value, path) => {
    const results = (arg as unknown[]).map((sub) => validateJsonSchema(sub, value, path));
    return results.some((r) => r.length === 0)
      ? []
      : [`${path}: matches none of anyOf (${results.map((r) => r[0]).join(' / ')})`];
  },
  oneOf: (arg, value, path) => {
    const matching = (arg as unknown[]).filter(
      (sub) => validateJsonSchema(sub, value, path).length === 0,
    );
    return matching.length === 1 ? [] : [`${path}: matches ${matching.length} of oneOf, not 1`];
  },
  allOf: (arg, value, path) =>
    (arg as unknown[]).flatMap((sub) => validateJsonSchema(sub, value, path)),
};
