import type { z } from 'zod';

/** The parts of zod's schema definitions a description needs (zod keeps them on `_zod.def`). */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, z.core.$ZodType>;
  readonly options?: readonly z.core.$ZodType[];
  readonly values?: readonly unknown[];
  readonly entries?: Record<string, unknown>;
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly format?: string;
}

const defOf = (schema: z.core.$ZodType): SchemaDef => schema._zod.def as unknown as SchemaDef;

/** The keys an object schema accepts, in declaration order; empty for anything else. */
export function objectKeys(schema: z.core.$ZodType): string[] {
  const def = defOf(schema);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The keys an object schema requires (neither optional nor defaulted). */
function requiredKeys(schema: z.core.$ZodType): string[] {
  const shape = defOf(schema).shape ?? {};
  return Object.entries(shape)
    .filter(([, field]) => field._zod.optin !== 'optional')
    .map(([key]) => key);
}

/** What a schema accepts, as a phrase: `"clean" or a mapping with key violations`. */
export function describeSchema(schema: z.core.$ZodType): string {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return 'a string';
    case 'number':
      return def.format?.includes('int') ? 'an integer' : 'a number';
    case 'int':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' or ');
    case 'enum':
      return `one of ${Object.values(def.entries ?? {}).join(', ')}`;
    case 'array':
      return 'a list';
    case 'record':
    case 'intersection':
      return 'a mapping';
    case 'object': {
      const keys = requiredKeys(schema);
      if (keys.length === 0) return 'a mapping';
      return `a mapping with key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
    }
    case 'union':
      return (def.options ?? []).map(describeSchema).join(', or ');
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return def.innerType ? describeSchema(def.innerType) : 'a value';
    case 'pipe':
      return def.in ? describeSchema(def.in) : 'a value';
    default:
      return 'a value';
  }
}

/** A zod type name (`expected` of an invalid_type issue) as a phrase. */
export function describeExpectedType(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
    case 'map':
      return 'a mapping';
    case 'array':
    case 'tuple':
    case 'set':
      return 'a list';
    case 'int':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'undefined':
    case 'never':
      return 'nothing here';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}
