import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CliFailure,
  CliUsageError,
  defaultTargets,
  identifyTargets,
  parseTargetEntries,
} from '../src/index.ts';

describe('parseTargetEntries', () => {
  it('reads carrier=URL pairs and bare URLs from comma lists and repeated flags', () => {
    expect(
      parseTargetEntries([
        'att=http://127.0.0.1:4101/, http://127.0.0.1:4102',
        'verizon=https://v.example:8443/base/',
      ]),
    ).toEqual([
      { carrier: 'att', url: 'http://127.0.0.1:4101' },
      { carrier: undefined, url: 'http://127.0.0.1:4102' },
      { carrier: 'verizon', url: 'https://v.example:8443/base' },
    ]);
  });

  it('keeps a bare URL whose query holds "=" bare', () => {
    expect(parseTargetEntries(['http://127.0.0.1:4101/?a=b'])).toEqual([
      { carrier: undefined, url: 'http://127.0.0.1:4101' },
    ]);
  });

  it.each([
    [['sprint=http://127.0.0.1:4104'], '"sprint" is not a carrier; use att, tmobile, verizon'],
    [['att=localhost:4101'], 'must be an http:// or https:// URL'],
    [['att=not a url'], 'is not a URL; write http://host:port or carrier=http://host:port'],
    [[' , '], '--target needs at least one carrier URL'],
    [['att=http://a:1', 'att=http://b:2'], '--target names att twice (http://a:1 and http://b:2)'],
  ])('rejects %j, naming the fix', (values, message) => {
    expect(() => parseTargetEntries(values)).toThrowError(CliUsageError);
    expect(() => parseTargetEntries(values)).toThrowError(message);
  });
});

describe('defaultTargets', () => {
  it('is the three carriers on 127.0.0.1:4101-4103 with no ESIMLAB_* variables', () => {
    expect(defaultTargets({})).toEqual([
      { carrier: 'att', url: 'http://127.0.0.1:4101' },
      { carrier: 'tmobile', url: 'http://127.0.0.1:4102' },
      { carrier: 'verizon', url: 'http://127.0.0.1:4103' },
    ]);
  });

  it('follows ESIMLAB_CARRIERS, ESIMLAB_HOST and the port variables as esimlab up does', () => {
    expect(
      defaultTargets({
        ESIMLAB_CARRIERS: 'verizon,att',
        ESIMLAB_HOST: '0.0.0.0',
        ESIMLAB_VERIZON_PORT: '5103',
      }),
    ).toEqual([
      { carrier: 'att', url: 'http://127.0.0.1:4101' },
      { carrier: 'verizon', url: 'http://127.0.0.1:5103' },
    ]);
    expect(defaultTargets({ ESIMLAB_CARRIERS: 'att', ESIMLAB_HOST: '::1' })).toEqual([
      { carrier: 'att', url: 'http://[::1]:4101' },
    ]);
  });

  it('names the variable that is wrong', () => {
    expect(() => defaultTargets({ ESIMLAB_TMOBILE_PORT: '70000' })).toThrowError(
      /ESIMLAB_TMOBILE_PORT must be a port number/,
    );
    expect(() => defaultTargets({ ESIMLAB_ATT_PORT: '0' })).toThrowError(
      "ESIMLAB_ATT_PORT is 0 (any free port), so att's URL is unknown; pass --target att=",
    );
  });
});

describe('identifyTargets', () => {
  // /healthz answers as the carrier the path's first segment names; /plain/healthz is no carrier.
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      const [, name, rest] = (request.url ?? '').split('/');
      if (rest !== 'healthz') {
        response.writeHead(404).end();
      } else if (name === 'plain') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } else {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'ok', carrier: name }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('names a bare URL after its /healthz, and keeps a named one that agrees', async () => {
    const targets = await identifyTargets(parseTargetEntries([`${base}/tmobile, att=${base}/att`]));
    expect(targets).toEqual([
      { carrier: 'tmobile', url: `${base}/tmobile` },
      { carrier: 'att', url: `${base}/att` },
    ]);
  });

  it('refuses a named URL whose /healthz says it is another carrier, naming the fix', async () => {
    const entries = parseTargetEntries([`tmobile=${base}/att`]);
    const refused = identifyTargets(entries);
    await expect(refused).rejects.toBeInstanceOf(CliUsageError);
    await expect(identifyTargets(entries)).rejects.toThrowError(
      `--target entry tmobile=${base}/att: ${base}/att/healthz says it is att, not tmobile; write att=${base}/att, or give tmobile's own URL`,
    );
  });

  it('takes a named URL as named when it answers without a carrier id or not at all', async () => {
    const gone = await closedPortUrl();
    expect(
      await identifyTargets(parseTargetEntries([`verizon=${base}/plain,att=${gone}`])),
    ).toEqual([
      { carrier: 'verizon', url: `${base}/plain` },
      { carrier: 'att', url: gone },
    ]);
  });

  it('refuses a bare URL that is no carrier, or that nothing answers', async () => {
    await expect(identifyTargets(parseTargetEntries([`${base}/plain`]))).rejects.toThrowError(
      `${base}/plain/healthz answered 200 without a carrier id`,
    );
    await expect(
      identifyTargets(parseTargetEntries([await closedPortUrl()])),
    ).rejects.toBeInstanceOf(CliFailure);
  });

  it('refuses two URLs that turn out to be one carrier', async () => {
    await expect(
      identifyTargets(parseTargetEntries([`${base}/att, att=${base}/att/`])),
    ).rejects.toThrowError('--target names att twice');
  });
});

/** A loopback URL on a port that was free a moment ago: nothing answers there. */
async function closedPortUrl(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return url;
}
