import { describe, expect, it } from 'vitest';
import { jsonListReply } from './json-list.ts';

const bodyOf = (reply: ReturnType<typeof jsonListReply>) => String(reply.raw?.data);

describe('jsonListReply', () => {
  it('sends byte for byte what res.json({ data, nextCursor }) would, across chunks of a thousand', () => {
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
    expect(bodyOf(jsonListReply(items, view, 'c"1'))).toBe(
      JSON.stringify({ data: items.map(view), nextCursor: 'c"1' }),
    );
    expect(bodyOf(jsonListReply(items, view, null))).toBe(
      JSON.stringify({ data: items.map(view), nextCursor: null }),
    );
  });

  it('lists nothing as an empty array', () => {
    expect(bodyOf(jsonListReply([], (n) => n))).toBe('{"data":[]}');
    expect(bodyOf(jsonListReply([], (n) => n, null))).toBe('{"data":[],"nextCursor":null}');
  });
});
