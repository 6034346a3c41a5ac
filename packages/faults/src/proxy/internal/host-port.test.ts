import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatHostPort, loopbackListenAddress, parseHostPort } from './host-port.ts';

const host = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain(), fc.constantFrom('localhost', ''));
const port = fc.integer({ min: 0, max: 65_535 });

describe('host:port addresses', () => {
  test.prop([host, port])('parse what they format', (h, p) => {
    expect(parseHostPort(formatHostPort({ host: h, port: p }))).toEqual({ host: h, port: p });
  });

  it.each(['127.0.0.1', '127.0.0.1:', ':', '127.0.0.1:65536', '::1:80', 'a:b', '[::1]80'])(
    'refuses %j',
    (text) => {
      expect(parseHostPort(text)).toBeUndefined();
    },
  );

  it.each([
    ['127.0.0.1:80', '127.0.0.1:80'],
    ['127.9.8.7:80', '127.9.8.7:80'],
    ['[::1]:80', '[::1]:80'],
    ['localhost:80', '127.0.0.1:80'],
    ['0.0.0.0:80', '127.0.0.1:80'],
    ['[::]:80', '127.0.0.1:80'],
    [':80', '127.0.0.1:80'],
  ])('binds %s on loopback as %s', (listen, bound) => {
    const parsed = parseHostPort(listen);
    expect(parsed && formatHostPort(loopbackListenAddress(parsed) ?? parsed)).toBe(bound);
  });

  it.each(['10.0.0.1:80', '192.168.1.2:80', 'example.com:80', '[fe80::1]:80'])(
    'will not listen on %s',
    (listen) => {
      const parsed = parseHostPort(listen);
      expect(parsed && loopbackListenAddress(parsed)).toBeUndefined();
    },
  );
});
