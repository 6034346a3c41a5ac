import { describe, expect, it } from 'vitest';
import { jsonListReply } from './json-list.ts';

const bodyOf = (reply: ReturnType<typeof jsonListReply>) => String(reply.raw?.data);

describe('jsonListReply', () => {
  it('sends byte for byte what res.json({ data }) would, across chunks of a thousand', () => {
    const items = Array.from({ length: 2_345 }, (_, i) => ({
      id: `item_${i}`,
      at: i,
      note: i % 2 === 0 ? 'é "quoted"' : undefined,
      nested: { deep: [i, null] },
    }));
    const view = (item: (typeof items)[number]) => ({ ...item, at: new Date(item.at) });
    const reply = jsonListReply(items, view);
    expect(reply.status).toBe(200);
    expect(reply.raw?.contentType).toBe('application/json; charset=utf-8');
    expect(bodyOf(reply)).toBe(JSON.stringify({ data: items.map(view) }));
  });

  it('keeps only what `keep` keeps, and lists nothing as an empty array', () => {
    const numbers = Array.from({ length: 2_500 }, (_, i) => i);
    const even = (n: number) => n % 2 === 0;
    expect(bodyOf(jsonListReply(numbers, (n) => ({ n }), even))).toBe(
      JSON.stringify({ data: numbers.filter(even).map((n) => ({ n })) }),
    );
    expect(bodyOf(jsonListReply([], (n) => n))).toBe('{"data":[]}');
    expect(
      bodyOf(
        jsonListReply(
          [1, 3],
          (n) => n,
          () => false,
        ),
      ),
    ).toBe('{"data":[]}');
  });
});
