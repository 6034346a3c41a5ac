import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

const ADMIN_TOKEN = 'let-me-in-0123456789';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att', adminToken: ADMIN_TOKEN });
});
afterAll(() => att.close());

const controlPlane = ['/_sim/clock', '/_sim/config', '/_sim/events', '/_sim/tenants'];

describe('a carrier started with an admin token', () => {
  it.each(controlPlane)('refuses GET %s without X-Sim-Admin-Token with 401', async (path) => {
    const res = await att.api(path);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(res)).code).toBe('unauthenticated');
  });

  it.each(controlPlane)('refuses GET %s with a wrong token with 401', async (path) => {
    for (const token of ['wrong', `${ADMIN_TOKEN}x`, ADMIN_TOKEN.toUpperCase()]) {
      const res = await att.api(path, { headers: { 'x-sim-admin-token': token } });
      expect(res.status).toBe(401);
    }
  });

  it.each(controlPlane)('serves GET %s with the right token', async (path) => {
    const res = await att.api(path, { headers: { 'x-sim-admin-token': ADMIN_TOKEN } });
    expect(res.status).toBe(200);
  });

  it('changes nothing on a refused control-plane write', async () => {
    const res = await att.api('/_sim/clock/advance', { method: 'POST', json: { by: 'P1D' } });
    expect(res.status).toBe(401);
    const clock = await att.api('/_sim/clock', { headers: { 'x-sim-admin-token': ADMIN_TOKEN } });
    expect((await json(clock)).offsetMs).toBe(0);
  });

  it('leaves /v1 and public routes to the API key alone', async () => {
    expect((await att.api('/v1/plans')).status).toBe(200);
    expect((await fetch(`${att.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${att.baseUrl}/openapi.json`)).status).toBe(200);
    const withoutKey = await att.api('/v1/plans', {
      headers: { authorization: '', 'x-sim-admin-token': ADMIN_TOKEN },
    });
    expect(withoutKey.status).toBe(401);
  });

  it('says so in its config', async () => {
    const res = await att.api('/_sim/config', { headers: { 'x-sim-admin-token': ADMIN_TOKEN } });
    expect((await json(res)).adminTokenRequired).toBe(true);
  });
});
