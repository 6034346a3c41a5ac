import { carrierCollections } from '@esimlab/carrier';
import type { Collection } from '@esimlab/store';

/**
 * One of the carrier's collections, by name, as its latest migration leaves it. The carrier
 * keeps its record types private; a mutant only needs the few fields it rewrites.
 */
export function carrierCollection<T extends object>(name: string): Collection<T> {
  const collection = carrierCollections.get(name);
  if (collection === undefined) throw new Error(`the carrier has no ${name} collection`);
  return collection as unknown as Collection<T>;
}
