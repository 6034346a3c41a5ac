import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
});
afterAll(() => att.close());

const createTenant = (name: unknown) =>
  att.api('/_sim/tenants', { method: 'POST', json: { name } });

describe('POST /_sim/tenants', () => {
  it('creates a tenant whose new API key works on /v1', async () => {
    const res = await createTenant('acme');
    expect(res.status).toBe(201);
    const tenant = await json(res);
    expect(tenant).toMatchObject({ name: 'acme', id: expect.any(String) });
    expect(tenant.apiKey).toMatch(/^sk_test_[A-Za-z0-9_-]{32}$/);
    const plans = await att.api('/v1/plans', {
      headers: { authorization: `Bearer ${tenant.apiKey}` },
    });
    expect(plans.status).toBe(200);
  });

  it('refuses a second tenant with the same name with 409 tenant_already_exists', async () => {
    expect((await createTenant('globex')).status).toBe(201);
    const res = await createTenant('globex');
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(res)).code).toBe('tenant_already_exists');
    expect((await createTenant('dev')).status).toBe(409);
  });

  it.each([[''], ['   '], ['x'.repeat(65)], [42], [null]])(
    'refuses the name %j with 400 invalid_request',
    async (name) => {
      const res = await createTenant(name);
      expect(res.status).toBe(400);
      expect((await json(res)).code).toBe('invalid_request');
    },
  );
});

describe('GET /_sim/tenants', () => {
  it('lists tenants without their keys or key hashes', async () => {
    await createTenant('initech');
    const { data } = await json(await att.api('/_sim/tenants'));
    const names = data.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(['dev', 'initech']));
    for (const tenant of data) {
      expect(Object.keys(tenant).sort()).toEqual(['createdAt', 'id', 'name']);
    }
  });
});

describe('API keys across a reset', () => {
  it("refuses a tenant's key once a reset deleted the tenant, however often it was used", async () => {
    const { apiKey } = await json(await createTenant('umbrella'));
    const withKey = () => att.api('/v1/plans', { headers: { authorization: `Bearer ${apiKey}` } });
    expect((await withKey()).status).toBe(200);
    expect((await withKey()).status).toBe(200);

    expect((await att.api('/_sim/reset', { method: 'POST' })).status).toBe(204);

    const refused = await withKey();
    expect(refused.status).toBe(401);
    expect((await json(refused)).code).toBe('unauthenticated');
    expect((await att.api('/v1/plans')).status).toBe(200);
    // A tenant made again under the same name has a new key, which works at once.
    const again = await json(await createTenant('umbrella'));
    const plans = await att.api('/v1/plans', {
      headers: { authorization: `Bearer ${again.apiKey}` },
    });
    expect(plans.status).toBe(200);
    expect((await withKey()).status).toBe(401);
  });
});
