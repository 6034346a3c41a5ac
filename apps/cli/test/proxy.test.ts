import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, runToEnd, startLongRun } from './support/cli-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'esimlab-cli-proxy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const adminUrl = /admin API on (http:\/\/127\.0\.0\.1:\d+)/;

let upstream: Server;
let upstreamPort: number;
beforeAll(async () => {
  upstream = createServer((req, res) => res.end(`upstream saw ${req.url}`));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => upstream.close(resolve)));

describe('esimlab proxy', () => {
  it('serves the Toxiproxy admin API until stopped', async () => {
    const run = startLongRun(['proxy', '--admin-port', '0']);
    const [, url] = await run.waitForOutput(adminUrl);
    expect(await getJson(`${url}/version`)).toEqual({ version: '2.12.0' });
    expect(await getJson(`${url}/proxies`)).toEqual({});

    expect(await run.stop()).toBe(0);
    expect(run.stdout()).toContain('esimlab proxy: SIGINT: stopping');
    expect(await getJson(`${url}/version`)).toBeUndefined();
  });

  it('creates the proxies of a --config file, relative to the working directory, and forwards through them', async () => {
    configFile('proxies.json', [
      { name: 'att', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` },
      { name: 'spare', upstream: `127.0.0.1:${upstreamPort}`, enabled: false },
    ]);
    const run = startLongRun(['proxy', '--admin-port', '0', '--config', 'proxies.json'], {
      cwd: dir,
    });
    const [, url] = await run.waitForOutput(adminUrl);
    const [, listen] = await run.waitForOutput(/^\s+att\s+(127\.0\.0\.1:\d+) -> /m);
    expect(run.stdout()).toMatch(/^\s+spare\s+127\.0\.0\.1:0 -> .*\(disabled\)$/m);

    const proxies = (await getJson(`${url}/proxies`)) as Record<
      string,
      { upstream: string; enabled: boolean }
    >;
    expect(proxies.att).toMatchObject({ upstream: `127.0.0.1:${upstreamPort}`, enabled: true });
    expect(proxies.spare?.enabled).toBe(false);
    const through = await fetch(`http://${listen}/v1/plans`);
    expect(await through.text()).toBe('upstream saw /v1/plans');

    expect(await run.stop()).toBe(0);
  });

  it.each([
    ['missing.json', undefined, /--config .*missing\.json: cannot read it \(ENOENT\)/],
    ['broken.json', '[{"name": ', /broken\.json: not valid JSON/],
    ['object.json', { name: 'att' }, /object\.json: must be a JSON array of proxies/],
    [
      'no-upstream.json',
      [{ name: 'att', listen: '127.0.0.1:0' }],
      /\[0\]\.upstream must be "host:port"/,
    ],
    [
      'bad-listen.json',
      [
        { name: 'a', upstream: '127.0.0.1:1' },
        { name: 'b', upstream: '127.0.0.1:1', listen: 26101 },
      ],
      /\[1\]\.listen must be "host:port" on loopback/,
    ],
    [
      'twice.json',
      [
        { name: 'a', upstream: '127.0.0.1:1' },
        { name: 'a', upstream: '127.0.0.1:2' },
      ],
      /\[1\]\.name "a" is used twice/,
    ],
  ])(
    'rejects the --config file %s with the field to fix (exit 2)',
    async (name, content, message) => {
      const file = content === undefined ? join(dir, name) : configFile(name, content);
      const { code, stderr } = await runToEnd(['proxy', '--admin-port', '0', '--config', file]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
    },
  );

  it("passes on the proxy server's refusal of a listen address off this machine", async () => {
    const file = configFile('public.json', [
      { name: 'att', listen: '10.1.2.3:26101', upstream: '127.0.0.1:4101' },
    ]);
    const { code, stderr } = await runToEnd(['proxy', '--admin-port', '0', '--config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('esimlab proxies listen on loopback only');
  });

  it('says the admin port is taken and how to choose another (exit 1)', async () => {
    const { code, stderr } = await runToEnd(['proxy', '--admin-port', String(upstreamPort)]);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot listen on 127.0.0.1:${upstreamPort}: the port is in use`);
    expect(stderr).toContain('--admin-port');
  });

  it.each([
    [['--host', '0.0.0.0'], '--host must be a loopback address'],
    [['--admin-port', 'http'], '--admin-port must be a port number from 0 to 65535'],
    [['--admin-port'], '--admin-port needs a value'],
    [['--confg', 'x.json'], 'unknown flag --confg; did you mean --config?'],
  ])('rejects %j naming the flag (exit 2)', async (args, message) => {
    const { code, stderr } = await runToEnd(['proxy', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
