import type { NormalizedCollectionSpec } from '../collection.ts';
import { InvalidDocumentError } from '../errors.ts';
import { type IndexValue, isScalarValue, toIndexValue } from './index-value.ts';
import { keyColumns } from './schema.ts';

export interface EncodedDocument {
  readonly id: string;
  readonly json: string;
  /** The primary key's and every indexed or unique field's value, as SQL sees them. */
  readonly keys: ReadonlyMap<string, IndexValue>;
}

/**
 * Checks a document against its collection's schema and serialises it. Key fields must be
 * scalars so that every adapter indexes exactly what the JSON holds.
 */
export function encodeDocument(spec: NormalizedCollectionSpec, doc: unknown): EncodedDocument {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new InvalidDocumentError(spec.name, 'a document must be a JSON object');
  }
  const fields = doc as Record<string, unknown>;
  const id = fields[spec.primaryKey];
  if (typeof id !== 'string' || id === '') {
    throw new InvalidDocumentError(
      spec.name,
      `primary key \`${spec.primaryKey}\` must be a non-empty string`,
    );
  }
  const keys = new Map<string, IndexValue>([[spec.primaryKey, id]]);
  for (const field of keyColumns(spec)) {
    const value = fields[field];
    if (value !== undefined && !isScalarValue(value)) {
      throw new InvalidDocumentError(
        spec.name,
        `\`${field}\` is a key or index field and must hold a string, finite number, boolean or null`,
      );
    }
    keys.set(field, toIndexValue(value));
  }
  return { id, json: JSON.stringify(doc), keys };
}
