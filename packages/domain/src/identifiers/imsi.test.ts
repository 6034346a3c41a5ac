import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/random-source.ts';
import { formatImsi, generateImsi, imsiParts, isImsi, parseImsi } from './imsi.ts';
import { digitString, expectRejected, seed } from './internal/test-support.ts';

const usMcc = fc.integer({ min: 310, max: 316 }).map(String);
const validImsi = fc
  .tuple(usMcc, digitString(3), digitString(9))
  .map(([mcc, mnc, msin]) => ({ imsi: `${mcc}${mnc}${msin}`, mcc, mnc, msin }));

const carriers = [
  { mcc: '310', mnc: '410' },
  { mcc: '310', mnc: '260' },
  { mcc: '311', mnc: '480' },
] as const;

describe('parseImsi', () => {
  test.prop([validImsi])('formats a parsed IMSI back to the same digits', ({ imsi }) => {
    const parsed = parseImsi(imsi);
    expect(parsed.ok && formatImsi(parsed.value)).toBe(imsi);
  });

  test.prop([validImsi])('splits into MCC, 3-digit MNC and MSIN', ({ imsi, mcc, mnc, msin }) => {
    const parsed = parseImsi(imsi);
    expect(parsed.ok && imsiParts(parsed.value)).toEqual({ mcc, mnc, msin });
  });

  test.prop([
    fc.integer({ min: 0, max: 999 }).filter((mcc) => mcc < 310 || mcc > 316),
    digitString(12),
  ])('rejects every MCC outside 310-316', (mcc, rest) => {
    expectRejected(parseImsi(`${String(mcc).padStart(3, '0')}${rest}`), 'imsi', 'mcc');
  });

  it('rejects a UK IMSI with a message naming the US range', () => {
    const error = expectRejected(parseImsi('234150000000001', 'sim.imsi'), 'sim.imsi', 'mcc');
    expect(error.message).toContain('310-316');
  });

  it('rejects the wrong length and non-digits', () => {
    expectRejected(parseImsi('31041000000000'), 'imsi', 'length');
    expectRejected(parseImsi('3104100000000001'), 'imsi', 'length');
    expectRejected(parseImsi('310-410-000000001'), 'imsi', 'digits');
    expectRejected(parseImsi(310410000000001), 'imsi', 'type');
  });
});

describe('generateImsi', () => {
  test.prop([seed, fc.constantFrom(...carriers)])(
    'generates valid IMSIs on the carrier’s network',
    (s, network) => {
      const imsi = generateImsi(seededRandom(s), network);
      expect(isImsi(imsi)).toBe(true);
      expect(imsiParts(imsi)).toMatchObject(network);
    },
  );

  test.prop([seed])('generates the same IMSI from the same seed', (s) => {
    expect(generateImsi(seededRandom(s), carriers[2])).toBe(
      generateImsi(seededRandom(s), carriers[2]),
    );
  });

  it('refuses a non-US MCC or an MNC that is not 3 digits', () => {
    expect(() => generateImsi(seededRandom(1), { mcc: '234', mnc: '150' })).toThrow(RangeError);
    expect(() => generateImsi(seededRandom(1), { mcc: '310', mnc: '41' })).toThrow(RangeError);
  });
});
