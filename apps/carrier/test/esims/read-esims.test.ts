import { generateIccid, seededRandom } from '@esimlab/domain';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { addTenant, type LooseJson, orderEsimOk } from './order-fixtures.ts';

// jsqr is CommonJS: under Node's ESM rules the default import is module.exports, whose `default` is the decoder.
const jsQR = jsQRModule.default;

let t: TestCarrier;
let ordered: LooseJson;
beforeAll(async () => {
  t = await startTestCarrier({ carrier: 'verizon', seed: 5 });
  ordered = await orderEsimOk(t, 'verizon-unlimited-plus');
});
afterAll(() => t.close());

/** The text a QR code PNG encodes, read back as a phone camera would. */
async function decodeQr(res: Response): Promise<string | undefined> {
  const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('GET /v1/esims/{iccid}', () => {
  it('shows the eSIM as ordered, without its confirmation code', async () => {
    const res = await t.api(`/v1/esims/${ordered.iccid}`);
    expect(res.status).toBe(200);
    const { confirmationCode, ...withoutCode } = ordered;
    expect(confirmationCode).toMatch(/^[0-9]{6}$/);
    expect(await json(res)).toEqual(withoutCode);
  });

  it('accepts the ICCID padded with a trailing F', async () => {
    const res = await t.api(`/v1/esims/${ordered.iccid}F`);
    expect(res.status).toBe(200);
    expect((await json(res)).iccid).toBe(ordered.iccid);
  });

  it('refuses a malformed ICCID with 400 naming iccid', async () => {
    const luhnBroken = `${ordered.iccid.slice(0, -1)}${(Number(ordered.iccid.at(-1)) + 1) % 10}`;
    for (const bad of ['89141', luhnBroken, 'not-an-iccid']) {
      const res = await t.api(`/v1/esims/${bad}`);
      expect(res.status).toBe(400);
      const problem = await json(res);
      expect(problem.code).toBe('invalid_request');
      expect(problem.errors[0].field).toBe('path.iccid');
    }
  });

  it('answers 404 esim_not_found for an unknown ICCID', async () => {
    const unknown = generateIccid(seededRandom(404), { issuerId: '999' });
    const res = await t.api(`/v1/esims/${unknown}`);
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe('esim_not_found');
  });
});

describe('tenant isolation', () => {
  it("hides one tenant's eSIM from another tenant's key", async () => {
    const otherKey = await addTenant(t, 'globex');
    const asOther = { authorization: `Bearer ${otherKey}` };
    for (const path of [
      `/v1/esims/${ordered.iccid}`,
      `/v1/esims/${ordered.iccid}/usage`,
      `/v1/esims/${ordered.iccid}/qr.png`,
    ]) {
      const res = await t.api(path, { headers: asOther });
      expect(res.status).toBe(404);
      expect((await json(res)).code).toBe('esim_not_found');
    }
    expect(await json(await t.api('/v1/esims', { headers: asOther }))).toEqual({
      data: [],
      nextCursor: null,
    });
  });
});

describe('GET /v1/esims/{iccid}/usage', () => {
  it('reports no data and no throttling before the service starts', async () => {
    const res = await t.api(`/v1/esims/${ordered.iccid}/usage`);
    expect(await json(res)).toEqual({ dataUsedBytes: 0, dataRemainingBytes: 0, throttled: false });
  });
});

describe('GET /v1/esims/{iccid}/qr.png', () => {
  it('is a PNG QR code of exactly the activation code, with the API key', async () => {
    const res = await t.api(`/v1/esims/${ordered.iccid}/qr.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(await decodeQr(res)).toBe(ordered.activationCode);
  });

  it('opens through qrCodeUrl without any API key', async () => {
    const res = await fetch(ordered.qrCodeUrl);
    expect(res.status).toBe(200);
    expect(await decodeQr(res)).toBe(ordered.activationCode);
  });

  it('answers 404 for a wrong token and 401 for no key and no token', async () => {
    const wrong = await fetch(`${t.baseUrl}/v1/esims/${ordered.iccid}/qr.png?token=guess`);
    expect(wrong.status).toBe(404);
    expect((await json(wrong)).code).toBe('esim_not_found');
    const other = await orderEsimOk(t, 'verizon-prepaid-15gb');
    const token = new URL(other.qrCodeUrl).searchParams.get('token');
    const swapped = await fetch(`${t.baseUrl}/v1/esims/${ordered.iccid}/qr.png?token=${token}`);
    expect(swapped.status).toBe(404);
    const bare = await fetch(`${t.baseUrl}/v1/esims/${ordered.iccid}/qr.png`);
    expect(bare.status).toBe(401);
  });
});

describe('GET /v1/esims pagination', () => {
  let p: TestCarrier;
  beforeAll(async () => {
    p = await startTestCarrier({ carrier: 'att', seed: 9 });
  });
  afterAll(() => p.close());

  it('visits every eSIM exactly once, oldest first, across pages', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      created.push((await orderEsimOk(p, 'att-prepaid-16gb')).iccid);
      if (i % 2 === 0) p.carrier.context.clock.advance(1000);
    }
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=3' : `?limit=3&cursor=${cursor}`;
      const page = await json(await p.api(`/v1/esims${query}`));
      pageSizes.push(page.data.length);
      seen.push(...page.data.map((e: { iccid: string }) => e.iccid));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual([...created].sort());
    const createdAt = (await json(await p.api('/v1/esims?limit=100'))).data.map(
      (e: { createdAt: string }) => e.createdAt,
    );
    expect(createdAt).toEqual([...createdAt].sort());
  });

  it('defaults to 20 per page', async () => {
    const page = await json(await p.api('/v1/esims'));
    expect(page.data).toHaveLength(7);
    expect(page.nextCursor).toBeNull();
  });

  it('refuses a bad limit or a forged cursor with 400', async () => {
    const forged = Buffer.from('{"c":"x"}').toString('base64url');
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'cursor=%%%', `cursor=${forged}`]) {
      const res = await p.api(`/v1/esims?${query}`);
      expect(res.status, query).toBe(400);
      expect((await json(res)).code).toBe('invalid_request');
    }
  });
});
