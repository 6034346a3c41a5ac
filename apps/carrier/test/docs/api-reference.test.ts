import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let verizon: TestCarrier;
let html: string;
let contentType: string | null;
beforeAll(async () => {
  verizon = await startTestCarrier({ carrier: 'verizon' });
  const res = await fetch(`${verizon.baseUrl}/docs`);
  expect(res.status).toBe(200);
  contentType = res.headers.get('content-type');
  html = await res.text();
});
afterAll(() => verizon.close());

const escaped = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

describe('GET /docs', () => {
  it('is one HTML page with its styles and script inline', () => {
    expect(contentType).toContain('text/html');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<style>');
    expect(html).toContain('<script>');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    expect(html).not.toMatch(/@import|@font-face|url\(/i);
  });

  it('references no other host, so it works offline', () => {
    const urls = html.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'<)]*/gi) ?? [];
    expect(urls).toEqual([]);
  });

  it('lists every operation with its method, path and operationId', () => {
    for (const route of verizon.carrier.routes) {
      expect(html).toContain(`id="${route.operationId}"`);
      expect(html).toContain(
        `${route.method.toUpperCase()}</span> <code class="path">${escaped(route.path)}</code>`,
      );
      expect(html).toContain(
        escaped(route.summary).replaceAll("'", '&#39;').replaceAll('"', '&quot;'),
      );
    }
  });

  it('groups operations by tag and gives a curl example per operation', () => {
    const tags = new Set(verizon.carrier.routes.map((r) => r.tag));
    for (const tag of tags) expect(html).toContain(`<h2>${escaped(tag)}</h2>`);
    const examples = html.match(/<pre class="curl">/g) ?? [];
    expect(examples).toHaveLength(verizon.carrier.routes.length);
    expect(html).toContain('curl -sS -X POST &quot;$ESIMLAB_URL/_sim/clock/advance&quot;');
    expect(html).toContain('Authorization: Bearer sk_test_esimlab');
  });
});
