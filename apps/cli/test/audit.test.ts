import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LongRun, runToEnd, startLongRun } from './support/cli-run.ts';

const token = 'audit-test-token';
const auth = { authorization: 'Bearer sk_test_esimlab', 'content-type': 'application/json' };

let up: LongRun;
let att: string;
let tmobile: string;
beforeAll(async () => {
  up = startLongRun([
    'up',
    '--carriers',
    'att,tmobile',
    '--store',
    'memory',
    '--att-port',
    '0',
    '--tmobile-port',
    '0',
    '--admin-token',
    token,
    '--log-level',
    'warn',
  ]);
  const [, attUrl = '', tmobileUrl = ''] = await up.waitForOutput(
    /att\s+(http:\S+)\s+state:[\s\S]*tmobile\s+(http:\S+)\s+state:/,
  );
  att = attUrl;
  tmobile = tmobileUrl;
}, 30_000);
afterAll(async () => {
  expect(await up.stop()).toBe(0);
});

const audit = (...args: string[]) =>
  runToEnd(['audit', '--admin-token', token, ...args], { env: {} });

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

/** What a naive reference-style client does: it retries a top-up without looking it up first. */
async function buyTwiceWithOneReference(carrier: string): Promise<void> {
  const configured = await fetch(`${carrier}/_sim/config`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'x-sim-admin-token': token },
    body: JSON.stringify({ apiStyle: 'reference' }),
  });
  expect(configured.status).toBe(200);
  const { data: plans } = (await (
    await fetch(`${carrier}/v1/plans`, { headers: auth })
  ).json()) as {
    data: { id: string; kind: string; addonKind?: string }[];
  };
  const base = plans.find((p) => p.kind === 'base');
  const boost = plans.find((p) => p.kind === 'addon' && p.addonKind === 'boost');
  const esim = await post<{ iccid: string }>(`${carrier}/v1/esims`, {
    planId: base?.id,
    paymentMethod: 'pm_card_visa',
    subscriber: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/Los_Angeles' },
  });
  const topup = { planId: boost?.id, paymentMethod: 'pm_card_visa', clientReference: 'retry-1' };
  await post(`${carrier}/v1/esims/${esim.iccid}/topups`, topup);
  await post(`${carrier}/v1/esims/${esim.iccid}/topups`, topup);
}

describe('esimlab audit', () => {
  it('reports clean carriers and exits 0', async () => {
    const { code, stdout, stderr } = await audit('--target', `att=${att},tmobile=${tmobile}`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^att\\s+${att}\\s+ok$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^tmobile\\s+${tmobile}\\s+ok$`, 'm'));
    expect(stdout).toContain('no violations on 2 carriers');
  });

  it('finds out which carrier a bare URL is from its /healthz', async () => {
    const { code, stdout } = await audit('--target', `${tmobile}/`, '--target', att, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(
      report.carriers.map((c: { carrier: string; url: string }) => [c.carrier, c.url]),
    ).toEqual([
      ['tmobile', tmobile],
      ['att', att],
    ]);
  });

  it('audits the carriers named by ESIMLAB_* variables when no --target is given', async () => {
    const port = new URL(att).port;
    const { code, stdout } = await runToEnd(['audit'], {
      env: { ESIMLAB_CARRIERS: 'att', ESIMLAB_ATT_PORT: port, ESIMLAB_ADMIN_TOKEN: token },
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^att\\s+http://127\\.0\\.0\\.1:${port}\\s+ok$`, 'm'));
  });

  it('says a carrier refused it when the admin token is missing', async () => {
    const { code, stderr } = await runToEnd(['audit', '--target', `att=${att}`]);
    expect(code).toBe(1);
    expect(stderr).toContain(`att at ${att} refused /_sim/audit (401`);
    expect(stderr).toContain('pass its token with --admin-token or ESIMLAB_ADMIN_TOKEN');
  });

  it('exits 1 and prints the kind when a retry bought a top-up twice', async () => {
    await buyTwiceWithOneReference(tmobile);
    const { code, stdout } = await audit('--target', `att=${att},tmobile=${tmobile}`);
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`^att\\s+${att}\\s+ok$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^tmobile\\s+${tmobile}\\s+1 violation$`, 'm'));
    expect(stdout).toMatch(/^\s+duplicate_charge\s+\S/m);
    expect(stdout).toContain('1 violation on 1 of 2 carriers');

    const json = await audit('--target', `tmobile=${tmobile}`, '--json');
    expect(json.code).toBe(1);
    const [report] = JSON.parse(json.stdout).carriers;
    expect(report.ok).toBe(false);
    expect(report.counts.duplicate_charge).toBe(1);
    expect(report.violations[0].kind).toBe('duplicate_charge');
    expect(report.violations[0].evidence.chargeIds).toHaveLength(2);
  });
});

describe('esimlab audit against carriers that are not there', () => {
  let closedUrl: string;
  let notACarrier: Server;
  let notACarrierUrl: string;
  beforeAll(async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    notACarrier = createServer((_req, res) => res.writeHead(200).end('{"status":"ok"}'));
    await new Promise<void>((resolve) => notACarrier.listen(0, '127.0.0.1', resolve));
    notACarrierUrl = `http://127.0.0.1:${(notACarrier.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => notACarrier.close(resolve)));

  it('names the URL of a carrier that is down and how to start it', async () => {
    const { code, stdout, stderr } = await audit('--target', `verizon=${closedUrl}`);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `esimlab audit: cannot reach verizon at ${closedUrl} (connection refused); is it running? start it with \`pnpm esimlab up\``,
    );
    expect(stdout).toContain('1 carrier not audited');
  });

  it('names a bare URL that nothing answers on', async () => {
    const { code, stderr } = await audit('--target', closedUrl);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot reach ${closedUrl} (connection refused)`);
  });

  it('refuses a URL whose /healthz names no carrier', async () => {
    const { code, stderr } = await audit('--target', notACarrierUrl);
    expect(code).toBe(1);
    expect(stderr).toContain(`${notACarrierUrl} does not look like an esimlab carrier`);
  });

  it('rejects an unknown carrier in --target with exit code 2', async () => {
    const { code, stderr } = await audit('--target', 'sprint=http://127.0.0.1:4104');
    expect(code).toBe(2);
    expect(stderr).toContain('"sprint" is not a carrier; use att, tmobile, verizon');
  });

  it('rejects a switch given a value', async () => {
    const { code, stderr } = await audit('--json=yes');
    expect(code).toBe(2);
    expect(stderr).toContain('--json is a switch and takes no value');
  });
});
