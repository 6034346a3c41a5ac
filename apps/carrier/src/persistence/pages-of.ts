import {
  type Collection,
  cursorAfter,
  type FindAfter,
  type ScalarField,
  type StoreTx,
} from '@esimlab/store';

/**
 * A whole collection in pages of at most `size` documents, in `orderBy` order (default the
 * primary key, the cheapest order to resume on every store), all read by one transaction: a
 * reader holds one page at a time instead of every row.
 */
export async function* pagesOf<T>(
  tx: StoreTx,
  collection: Collection<T>,
  size: number,
  orderBy?: ScalarField<T>,
): AsyncGenerator<T[]> {
  let after: FindAfter | undefined;
  for (;;) {
    const page = await tx.find(
      collection,
      {},
      {
        limit: size,
        ...(orderBy === undefined ? {} : { orderBy }),
        ...(after === undefined ? {} : { after }),
      },
    );
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (page.length < size || last === undefined) return;
    after = cursorAfter(collection, last, orderBy);
  }
}
