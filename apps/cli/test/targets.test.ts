import { describe, expect, it } from 'vitest';
import { CliUsageError, defaultTargets, parseTargetEntries } from '../src/index.ts';

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
