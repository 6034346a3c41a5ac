import { createHmac } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  signWebhookPayload,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_TOLERANCE_SECONDS,
  type WebhookSigning,
  type WebhookVerification,
} from './webhook-signature.ts';

const text = fc.string({ unit: 'grapheme', maxLength: 200 });
const secret = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 });
const unixSeconds = fc.integer({ min: 0, max: 4_102_444_800 });
const signed = fc.record({ secret, payload: text, timestampSeconds: unixSeconds });
const sameBytes = (a: string, b: string) => Buffer.from(a).equals(Buffer.from(b));

const verifyAt = (s: WebhookSigning, header: string | undefined, nowSeconds = s.timestampSeconds) =>
  verifyWebhookSignature({ secret: s.secret, payload: s.payload, header, nowSeconds });

const codeOf = (result: ReturnType<typeof verifyWebhookSignature>) =>
  result.ok ? 'ok' : result.error.code;

describe('signWebhookPayload', () => {
  it('matches a vector computed with openssl', () => {
    const payload = '{"id":"evt_1","type":"esim.activated","data":{"iccid":"8914101234567890121"}}';
    // printf '%s' '1767225600.<payload>' | openssl dgst -sha256 -hmac 'whsec_MjAyNi1lc2ltbGFi'
    expect(
      signWebhookPayload({
        secret: 'whsec_MjAyNi1lc2ltbGFi',
        payload,
        timestampSeconds: 1_767_225_600,
      }),
    ).toBe('t=1767225600,v1=22d7c4479fd45e7627adf688a62179a20877d216e1df65ba155651d028df013c');
  });

  it('keys the MAC with the UTF-8 bytes of the secret and signs the UTF-8 body', () => {
    // Python: hmac.new('sécret'.encode(), '1767225600.café'.encode(), hashlib.sha256).hexdigest()
    expect(
      signWebhookPayload({ secret: 'sécret', payload: 'café', timestampSeconds: 1_767_225_600 }),
    ).toBe('t=1767225600,v1=15d7aa5a5acbbc334c0d90836b9b71261330e7ca1a9ba604972c37b88159e3ff');
  });

  test.prop([signed])('is HMAC-SHA256 of "<t>.<raw body>"', (s) => {
    const mac = createHmac('sha256', Buffer.from(s.secret, 'utf8'))
      .update(Buffer.from(`${s.timestampSeconds}.${s.payload}`, 'utf8'))
      .digest('hex');
    expect(signWebhookPayload(s)).toBe(`t=${s.timestampSeconds},v1=${mac}`);
  });

  it.each([-1, 1.5, Number.NaN])('refuses timestamp %s as a bug', (timestampSeconds) => {
    expect(() => signWebhookPayload({ secret: 's', payload: '{}', timestampSeconds })).toThrow(
      RangeError,
    );
  });
});

describe('verifyWebhookSignature', () => {
  test.prop([signed, fc.integer({ min: -300, max: 300 })])(
    'accepts what was signed, within the tolerance',
    (s, skew) => {
      const result = verifyAt(s, signWebhookPayload(s), s.timestampSeconds + skew);
      expect(result).toEqual({ ok: true, value: { timestampSeconds: s.timestampSeconds } });
    },
  );

  test.prop([signed, text])('rejects a tampered body', (s, other) => {
    fc.pre(!sameBytes(other, s.payload));
    const header = signWebhookPayload(s);
    expect(codeOf(verifyAt({ ...s, payload: other }, header))).toBe('signature_mismatch');
  });

  test.prop([signed, secret])('rejects another secret', (s, other) => {
    fc.pre(!sameBytes(other, s.secret));
    const header = signWebhookPayload(s);
    expect(codeOf(verifyAt({ ...s, secret: other }, header))).toBe('signature_mismatch');
  });

  test.prop([signed, fc.integer({ min: -300, max: 300 }).filter((d) => d !== 0)])(
    'rejects a tampered timestamp, even one inside the tolerance',
    (s, shift) => {
      fc.pre(s.timestampSeconds + shift >= 0);
      const header = signWebhookPayload(s).replace(/^t=\d+/, `t=${s.timestampSeconds + shift}`);
      expect(codeOf(verifyAt(s, header))).toBe('signature_mismatch');
    },
  );

  test.prop([signed, fc.integer({ min: WEBHOOK_SIGNATURE_TOLERANCE_SECONDS + 1, max: 10 ** 6 })])(
    'rejects a genuine signature older or newer than the tolerance (a replay)',
    (s, distance) => {
      const header = signWebhookPayload(s);
      expect(codeOf(verifyAt(s, header, s.timestampSeconds + distance))).toBe(
        'timestamp_out_of_tolerance',
      );
      expect(codeOf(verifyAt(s, header, s.timestampSeconds - distance))).toBe(
        'timestamp_out_of_tolerance',
      );
    },
  );

  it('honours a custom tolerance', () => {
    const s = { secret: 'whsec_x', payload: '{}', timestampSeconds: 1000 };
    const header = signWebhookPayload(s);
    const at = (nowSeconds: number, toleranceSeconds: number) =>
      codeOf(verifyWebhookSignature({ ...s, header, nowSeconds, toleranceSeconds }));
    expect(at(1010, 10)).toBe('ok');
    expect(at(1011, 10)).toBe('timestamp_out_of_tolerance');
  });

  test.prop([signed, fc.array(fc.stringMatching(/^[0-9a-f]{64}$/), { maxLength: 3 }), fc.nat(3)])(
    'accepts a header with several v1 entries when any one matches',
    (s, decoys, position) => {
      const good = signWebhookPayload(s).split(',v1=')[1] as string;
      const v1s = [...decoys];
      v1s.splice(Math.min(position, v1s.length), 0, good);
      const header = `t=${s.timestampSeconds},${v1s.map((v) => `v1=${v}`).join(',')},v0=ignored`;
      expect(codeOf(verifyAt(s, header))).toBe('ok');
      expect(codeOf(verifyAt(s, header.replace(`v1=${good}`, `v1=${'0'.repeat(64)}`)))).toBe(
        'signature_mismatch',
      );
    },
  );

  it.each([undefined, '', '   '])('reports a missing header (%j)', (header) => {
    const s = { secret: 'whsec_x', payload: '{}', timestampSeconds: 1000 };
    expect(codeOf(verifyAt(s, header))).toBe('signature_missing');
  });

  it.each([
    'garbage',
    'v1=00',
    `v1=${'a'.repeat(64)}`,
    't=1000',
    't=1000,v0=abc',
    `t=abc,v1=${'a'.repeat(64)}`,
    `t=-5,v1=${'a'.repeat(64)}`,
    `t=1000,t=1001,v1=${'a'.repeat(64)}`,
    `t=1000,v1=${'g'.repeat(64)}`,
    `t=1000,v1=${'a'.repeat(63)}`,
    `t=1000,=x,v1=${'a'.repeat(64)}`,
  ])('reports a malformed header %j with the expected shape', (header) => {
    const result = verifyAt({ secret: 'whsec_x', payload: '{}', timestampSeconds: 1000 }, header);
    expect(codeOf(result)).toBe('signature_malformed');
    if (!result.ok) expect(result.error.message).toContain('t=<unix seconds>,v1=<64 hex digits>');
  });

  // A checker that cannot fail is worthless: a scheme that leaves the timestamp out of the
  // MAC round-trips fine, and only the tampered-timestamp property tells it apart.
  it('tells apart a scheme that does not bind the timestamp', () => {
    const bodyOnlyMac = (v: { secret: string; payload: string }) =>
      createHmac('sha256', v.secret).update(v.payload).digest('hex');
    const mutant = {
      sign: (s: WebhookSigning) => `t=${s.timestampSeconds},v1=${bodyOnlyMac(s)}`,
      verify: (v: WebhookVerification) => v.header?.endsWith(`v1=${bodyOnlyMac(v)}`) ?? false,
    };
    const real = {
      sign: signWebhookPayload,
      verify: (v: WebhookVerification) => verifyWebhookSignature(v).ok,
    };
    const bindsTimestamp = (scheme: typeof real) =>
      fc.property(signed, fc.integer({ min: 1, max: 300 }), (s, shift) => {
        const forged = scheme.sign(s).replace(/^t=\d+/, `t=${s.timestampSeconds + shift}`);
        const nowSeconds = s.timestampSeconds + shift;
        const roundTrips = scheme.verify({ ...s, header: scheme.sign(s), nowSeconds });
        return roundTrips && !scheme.verify({ ...s, header: forged, nowSeconds });
      });
    expect(fc.check(bindsTimestamp(real)).failed).toBe(false);
    expect(fc.check(bindsTimestamp(mutant)).failed).toBe(true);
  });
});
