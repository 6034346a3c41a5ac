import type { RouteReply } from './route.ts';

/**
 * A 200 whose body is `{"data": [...]}`, the items of `pages` that `keep` keeps as `view` shows
 * them, byte for byte what `res.json({ data })` sends. It is built page by page into buffers, outside V8's
 * heap: a list of every ledger entry or charge grows with the carrier's history, and as one
 * array of views and one string it could outgrow the heap, or the longest string V8 allows
 * (about 512 MB).
 */
export async function jsonListReply<T>(
  pages: AsyncIterable<readonly T[]> | Iterable<readonly T[]>,
  view: (item: T) => unknown,
  keep: (item: T) => boolean = () => true,
): Promise<RouteReply> {
  const chunks: Buffer[] = [Buffer.from('{"data":[')];
  let first = true;
  for await (const page of pages) {
    const kept = page.filter(keep);
    if (kept.length === 0) continue;
    const items = kept.map((item) => JSON.stringify(view(item))).join(',');
    chunks.push(Buffer.from(first ? items : `,${items}`));
    first = false;
  }
  chunks.push(Buffer.from(']}'));
  return {
    status: 200,
    raw: { contentType: 'application/json; charset=utf-8', data: Buffer.concat(chunks) },
  };
}
