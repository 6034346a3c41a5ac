import { describe, expect, it } from 'vitest';
import { jsonListReply } from './json-list.ts';

const bodyOf = async (reply: Awaited<ReturnType<typeof jsonListReply>>) => String(reply.raw?.data);

async function* pages<T>(...lists: T[][]): AsyncGenerator<T[]> {
  for (const list of lists) yield list;
}

describe('jsonListReply', () => {
  it('sends byte for byte what res.json({ data }) would, across pages', async () => {
    const items = [
      { id: 'a', at: 1, note: 'é "quoted"' },
      { id: 'b', at: 2, nested: { deep: [1, null] } },
      { id: 'c', at: 3 },
    ];
    const view = (item: (typeof items)[number]) => ({ ...item, at: new Date(item.at) });
    const reply = await jsonListReply(pages(items.slice(0, 2), [], items.slice(2)), view);
    expect(reply.status).toBe(200);
    expect(reply.raw?.contentType).toBe('application/json; charset=utf-8');
    expect(await bodyOf(reply)).toBe(JSON.stringify({ data: items.map(view) }));
  });

  it('keeps only what `keep` keeps, and lists nothing as an empty array', async () => {
    const kept = await jsonListReply(
      [[1, 2, 3], [4], [5, 6]],
      (n) => ({ n }),
      (n) => n % 2 === 0,
    );
    expect(await bodyOf(kept)).toBe(JSON.stringify({ data: [{ n: 2 }, { n: 4 }, { n: 6 }] }));
    expect(await bodyOf(await jsonListReply(pages<number>(), (n) => n))).toBe('{"data":[]}');
    expect(
      await bodyOf(
        await jsonListReply(
          [[1, 3]],
          (n) => n,
          () => false,
        ),
      ),
    ).toBe('{"data":[]}');
  });
});
