import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute } from '../../src/http/route.ts';
import { startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
let routes: readonly AnyRoute[];
// biome-ignore lint/suspicious/noExplicitAny: the document is asserted on as plain JSON
let document: any;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  routes = att.carrier.routes;
  const res = await fetch(`${att.baseUrl}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/json');
  document = JSON.parse(await res.text());
});
afterAll(() => att.close());

const operationOf = (route: AnyRoute) => document.paths[route.path]?.[route.method];

/** Every `$ref` in the document, wherever it sits. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner),
  );
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document served without an API key', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info.title).toContain('AT&T');
    expect(typeof document.info.version).toBe('string');
  });

  it('describes every declared route with its method, operationId, summary and tag', () => {
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const operation = operationOf(route);
      expect(operation, `${route.method.toUpperCase()} ${route.path}`).toBeDefined();
      expect(operation).toMatchObject({
        operationId: route.operationId,
        summary: route.summary,
        tags: [route.tag],
      });
    }
    const ids = routes.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares every path parameter as a required path parameter', () => {
    for (const route of routes) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = operationOf(route)
        .parameters.filter((p: { in: string }) => p.in === 'path')
        .map((p: { name: string; required: boolean }) => {
          expect(p.required).toBe(true);
          return p.name;
        });
      expect(declared.sort(), route.path).toEqual(names.sort());
    }
  });

  it('documents query parameters, request bodies and the Idempotency-Key header', () => {
    for (const route of routes) {
      const operation = operationOf(route);
      if (route.body) {
        expect(operation.requestBody.content['application/json'].schema, route.path).toBeDefined();
      } else {
        expect(operation.requestBody).toBeUndefined();
      }
      const header = operation.parameters.find(
        (p: { in: string; name: string }) => p.in === 'header' && p.name === 'Idempotency-Key',
      );
      if (route.idempotencyKey) {
        expect(header?.required, route.path).toBe(route.idempotencyKey === 'required');
      } else {
        expect(header).toBeUndefined();
      }
    }
    const events = document.paths['/_sim/events'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(events).toEqual(expect.arrayContaining(['type', 'iccid', 'eid', 'after', 'limit']));
  });

  it('secures /v1 with the bearer key and /_sim with the optional admin token', () => {
    expect(document.components.securitySchemes.apiKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(document.components.securitySchemes.adminToken).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-Sim-Admin-Token',
    });
    for (const route of routes) {
      const security = operationOf(route).security;
      if (route.access === 'api-key') expect(security).toEqual([{ apiKey: [] }]);
      if (route.access === 'public') expect(security).toEqual([]);
      if (route.access === 'control-plane') expect(security).toContainEqual({ adminToken: [] });
    }
  });

  it('describes every error response as problem+json and every success with its schema', () => {
    for (const route of routes) {
      const responses = operationOf(route).responses;
      for (const [status, spec] of Object.entries(route.responses)) {
        const documented = responses[status];
        expect(documented.description).toBe(spec.description);
        if (Number(status) >= 400)
          expect(documented.content).toHaveProperty(['application/problem+json']);
        else if (spec.schema)
          expect(documented.content).toHaveProperty([spec.contentType ?? 'application/json']);
      }
      if (route.access === 'api-key') expect(responses).toHaveProperty('401');
    }
  });

  it('resolves every $ref to a component schema', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(document.components.schemas, ref).toHaveProperty([ref.split('/').at(-1) ?? '']);
    }
    expect(document.components.schemas.Problem.properties).toHaveProperty('code');
  });

  it('serves the same document on every request', async () => {
    const again = await (await fetch(`${att.baseUrl}/openapi.json`)).text();
    expect(again).toBe(JSON.stringify(document));
  });
});
