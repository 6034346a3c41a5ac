import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let tmobile: TestCarrier;
beforeAll(async () => {
  tmobile = await startTestCarrier({ carrier: 'tmobile' });
});
afterAll(() => tmobile.close());

const patchConfig = (body: unknown) => tmobile.api('/_sim/config', { method: 'PATCH', json: body });

describe('GET /_sim/config', () => {
  it("names the carrier, its time zone and its profile's default API style", async () => {
    const config = await json(await tmobile.api('/_sim/config'));
    expect(config).toMatchObject({
      carrier: 'tmobile',
      apiStyle: 'reference',
      defaultApiStyle: 'reference',
      timeZone: 'America/Los_Angeles',
      adminTokenRequired: false,
    });
  });
});

describe('PATCH /_sim/config', () => {
  it('switches the API style at run time and journals the change', async () => {
    const res = await patchConfig({ apiStyle: 'async' });
    expect(res.status).toBe(200);
    expect((await json(res)).apiStyle).toBe('async');
    expect((await json(await tmobile.api('/_sim/config'))).apiStyle).toBe('async');
    const { data } = await json(await tmobile.api('/_sim/events?type=config.changed'));
    expect(data.at(-1).data).toEqual({ apiStyle: 'async', previousApiStyle: 'reference' });
  });

  it.each([[{ apiStyle: 'stripe' }], [{ apiStyle: null }], [{ apiStyles: 'async' }], [[]]])(
    'refuses %j with 400 and changes nothing',
    async (body) => {
      const before = await json(await tmobile.api('/_sim/config'));
      const res = await patchConfig(body);
      expect(res.status).toBe(400);
      expect((await json(res)).code).toBe('invalid_request');
      expect(await json(await tmobile.api('/_sim/config'))).toEqual(before);
    },
  );
});
