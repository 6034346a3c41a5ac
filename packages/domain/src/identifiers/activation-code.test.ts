import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/random-source.ts';
import {
  type ActivationCode,
  formatActivationCode,
  generateMatchingId,
  parseActivationCode,
} from './activation-code.ts';
import { expectRejected, seed } from './internal/test-support.ts';

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const label = fc
  .tuple(
    fc.constantFrom(...alnum),
    fc.string({ unit: fc.constantFrom(...alnum, '-'), maxLength: 20 }),
    fc.constantFrom(...alnum),
  )
  .map(([first, middle, last]) => `${first}${middle}${last}`);
const fqdn = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.stringMatching(/^[a-z]{2,6}$/))
  .map(([labels, tld]) => [...labels, tld].join('.'));
const matchingId = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'),
  minLength: 1,
  maxLength: 40,
});
const oid = fc
  .array(fc.nat({ max: 99999 }), { minLength: 1, maxLength: 8 })
  .map((arcs) => arcs.join('.'));

/** Canonical activation code text, assembled by hand from its grammar. */
const validActivationCode = fc
  .tuple(
    fqdn,
    matchingId,
    fc.option(fc.oneof(oid, fc.constant('')), { nil: undefined }),
    fc.boolean(),
  )
  .map(([address, id, smdpOid, confirmation]) => {
    let text = `LPA:1$${address}$${id}`;
    if (smdpOid !== undefined || confirmation) text += `$${smdpOid ?? ''}`;
    if (confirmation) text += '$1';
    return text;
  });

const parse = (text: string): ActivationCode => {
  const parsed = parseActivationCode(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

describe('parseActivationCode', () => {
  it('parses an empty OID followed by the confirmation flag', () => {
    expect(parse('LPA:1$smdp.att.esimlab.test$ABC-123$$1')).toEqual({
      smdpAddress: 'smdp.att.esimlab.test',
      matchingId: 'ABC-123',
      smdpOid: '',
      confirmationCodeRequired: true,
    });
  });

  it('parses a code without OID or confirmation flag', () => {
    expect(parse('LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815')).toEqual({
      smdpAddress: 'SMDP.GSMA.COM',
      matchingId: '04386-AGYFT-A74Y8-3F815',
      confirmationCodeRequired: false,
    });
  });

  it('parses an OID with and without the confirmation flag', () => {
    expect(parse('LPA:1$smdp.example.com$K2-ABC$1.3.6.1.4.1.31746$1')).toMatchObject({
      smdpOid: '1.3.6.1.4.1.31746',
      confirmationCodeRequired: true,
    });
    expect(parse('LPA:1$smdp.example.com$K2-ABC$1.3.6.1.4.1.31746')).toMatchObject({
      smdpOid: '1.3.6.1.4.1.31746',
      confirmationCodeRequired: false,
    });
  });

  test.prop([validActivationCode])('formats a parsed code back to the exact text', (text) => {
    expect(formatActivationCode(parse(text))).toBe(text);
  });

  test.prop([validActivationCode])('parses a formatted code back to the same fields', (text) => {
    const code = parse(text);
    expect(parse(formatActivationCode(code))).toEqual(code);
  });

  it('refuses a confirmation code inside the activation code without echoing it', () => {
    const error = expectRejected(
      parseActivationCode('LPA:1$smdp.att.esimlab.test$ABC-123$$48213'),
      'activationCode',
      'confirmation_code',
    );
    expect(error.message).not.toContain('48213');
    expect(error.message).toContain('separately');
    expectRejected(
      parseActivationCode('LPA:1$smdp.att.esimlab.test$ABC-123$$0'),
      'activationCode',
      'confirmation_code',
    );
  });

  it('refuses missing parts and extra fields', () => {
    expectRejected(parseActivationCode('LPA:1$smdp.att.esimlab.test'), 'activationCode', 'fields');
    expectRejected(parseActivationCode('LPA:1'), 'activationCode', 'fields');
    expectRejected(
      parseActivationCode('LPA:1$smdp.att.esimlab.test$'),
      'activationCode',
      'matching_id',
    );
    expectRejected(parseActivationCode('LPA:1$$ABC-123'), 'activationCode', 'fqdn');
    expectRejected(
      parseActivationCode('LPA:1$smdp.att.esimlab.test$ABC$$1$1'),
      'activationCode',
      'fields',
    );
  });

  it('refuses the wrong scheme or format version', () => {
    expectRejected(
      parseActivationCode('1$smdp.att.esimlab.test$ABC-123'),
      'activationCode',
      'prefix',
    );
    expectRejected(
      parseActivationCode('lpa:1$smdp.att.esimlab.test$ABC-123'),
      'activationCode',
      'prefix',
    );
    expectRejected(
      parseActivationCode('LPA:2$smdp.att.esimlab.test$ABC-123'),
      'activationCode',
      'format',
    );
    const error = expectRejected(
      parseActivationCode({}, 'order.activationCode'),
      'order.activationCode',
      'type',
    );
    expect(error.message).toMatch(/got an object$/);
  });

  it('refuses an SM-DP+ address that is not a fully qualified domain name', () => {
    for (const address of [
      'smdp_att.test',
      '-smdp.esimlab.test',
      'smdp-.esimlab.test',
      'localhost',
      '10.0.0.1',
      'smdp..esimlab.test',
      'smdp.esimlab.test.',
      `${'a'.repeat(64)}.test`,
      'smdp.esimlab.test:8443',
    ]) {
      expectRejected(parseActivationCode(`LPA:1$${address}$ABC-123`), 'activationCode', 'fqdn');
    }
  });

  it('refuses matching ids outside SGP.22’s A-Z, 0-9 and hyphen', () => {
    expectRejected(
      parseActivationCode('LPA:1$smdp.example.com$abc-123'),
      'activationCode',
      'matching_id',
    );
    expectRejected(
      parseActivationCode('LPA:1$smdp.example.com$ABC 123'),
      'activationCode',
      'matching_id',
    );
  });

  it('a $ inside the matching id splits it into a field that is not a valid OID', () => {
    const error = expectRejected(
      parseActivationCode('LPA:1$smdp.example.com$ABC$DEF$1'),
      'activationCode',
      'oid',
    );
    expect(error.message).toContain('$ inside a matching id');
  });
});

describe('formatActivationCode', () => {
  const base: ActivationCode = {
    smdpAddress: 'smdp.att.esimlab.test',
    matchingId: 'ABC-123',
    confirmationCodeRequired: false,
  };

  it('writes the empty OID field the confirmation flag needs', () => {
    expect(formatActivationCode({ ...base, confirmationCodeRequired: true })).toBe(
      'LPA:1$smdp.att.esimlab.test$ABC-123$$1',
    );
    expect(formatActivationCode(base)).toBe('LPA:1$smdp.att.esimlab.test$ABC-123');
  });

  it('refuses a $ in the matching id rather than writing an ambiguous code', () => {
    expect(() => formatActivationCode({ ...base, matchingId: 'ABC$1.2' })).toThrow(/matching id/);
    expect(() => formatActivationCode({ ...base, smdpOid: '1.2$1' })).toThrow(/OID/);
    expect(() => formatActivationCode({ ...base, smdpAddress: 'smdp$x.test' })).toThrow(RangeError);
  });
});

describe('generateMatchingId', () => {
  test.prop([seed])('generates four groups of four upper-case alphanumerics', (s) => {
    const id = generateMatchingId(seededRandom(s));
    expect(id).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    expect(parse(`LPA:1$smdp.example.com$${id}`).matchingId).toBe(id);
  });

  test.prop([seed])('generates the same matching id from the same seed', (s) => {
    expect(generateMatchingId(seededRandom(s))).toBe(generateMatchingId(seededRandom(s)));
  });

  it('uses both letters and digits', () => {
    const ids = Array.from({ length: 50 }, (_, i) => generateMatchingId(seededRandom(i))).join('');
    expect(ids).toMatch(/[A-Z]/);
    expect(ids).toMatch(/[0-9]/);
  });
});
