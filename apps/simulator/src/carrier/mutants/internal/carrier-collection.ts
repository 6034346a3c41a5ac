import { carrierMigrations } from '@esimlab/carrier';
import { type Collection, defineCollection } from '@esimlab/store';

/**
 * One of the carrier's collections, by name, as its migrations define it. The carrier keeps
 * its record types private; a mutant only needs the few fields it rewrites.
 */
export function carrierCollection<T extends object>(name: string): Collection<T> {
  const spec = carrierMigrations
    .flatMap((migration) => migration.collections ?? [])
    .find((collection) => collection.name === name);
  if (spec === undefined) throw new Error(`the carrier's migrations create no ${name} collection`);
  return defineCollection<T>(spec as Parameters<typeof defineCollection<T>>[0]);
}
