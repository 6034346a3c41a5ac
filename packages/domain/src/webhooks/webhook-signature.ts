import { createHmac, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../result.ts';

/** How far a signature's timestamp may be from the receiver's clock, by default: 5 minutes. */
export const WEBHOOK_SIGNATURE_TOLERANCE_SECONDS = 300;

export type WebhookSignatureErrorCode =
  | 'signature_missing'
  | 'signature_malformed'
  | 'signature_mismatch'
  | 'timestamp_out_of_tolerance';

export interface WebhookSignatureError {
  readonly code: WebhookSignatureErrorCode;
  readonly message: string;
}

export interface WebhookSigning {
  readonly secret: string;
  /** The raw request body, exactly as sent: re-serialised JSON would not verify. */
  readonly payload: string;
  /** Unix time in whole seconds. */
  readonly timestampSeconds: number;
}

export interface WebhookVerification {
  readonly secret: string;
  readonly payload: string;
  /** The `Esimlab-Signature` header as received; `undefined` when absent. */
  readonly header: string | undefined;
  /** The receiver's Unix time in whole seconds. */
  readonly nowSeconds: number;
  readonly toleranceSeconds?: number;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * The `Esimlab-Signature` header value for a webhook body: `t=<unix seconds>,v1=<hex>`, where
 * v1 is HMAC-SHA256, keyed with the secret's UTF-8 bytes, of `<t>.<raw body>` (Stripe's scheme).
 */
export function signWebhookPayload(signing: WebhookSigning): string {
  const t = signing.timestampSeconds;
  if (!Number.isSafeInteger(t) || t < 0) {
    throw new RangeError(`timestampSeconds must be whole Unix seconds; got ${t}`);
  }
  return `t=${t},v1=${macOf(signing.secret, t, signing.payload)}`;
}

/**
 * Checks an `Esimlab-Signature` header against the raw body and the endpoint's secret. Any
 * one of several `v1` entries may match (a rotated secret signs twice); unknown schemes are
 * ignored. The comparison is constant-time, and a timestamp further than the tolerance from
 * `nowSeconds` is refused so a captured delivery cannot be replayed later.
 */
export function verifyWebhookSignature(
  verification: WebhookVerification,
): Result<{ readonly timestampSeconds: number }, WebhookSignatureError> {
  const { header, secret, payload, nowSeconds } = verification;
  const tolerance = verification.toleranceSeconds ?? WEBHOOK_SIGNATURE_TOLERANCE_SECONDS;
  if (header === undefined || header.trim() === '') {
    return err({
      code: 'signature_missing',
      message: 'no Esimlab-Signature header; every delivery carries one',
    });
  }
  const parsed = parseHeader(header);
  if (!parsed.ok) return parsed;
  const { timestampSeconds, signatures } = parsed.value;

  const expected = Buffer.from(macOf(secret, timestampSeconds, payload), 'hex');
  // Check every entry, so the time taken does not tell which one matched.
  let matched = false;
  for (const signature of signatures) {
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) matched = true;
  }
  if (!matched) {
    return err({
      code: 'signature_mismatch',
      message:
        'no v1 signature matches this body: verify the raw body bytes (not re-serialised JSON) with the endpoint secret returned when it was created',
    });
  }
  if (Math.abs(nowSeconds - timestampSeconds) > tolerance) {
    return err({
      code: 'timestamp_out_of_tolerance',
      message: `the signature was made at t=${timestampSeconds}, ${Math.abs(nowSeconds - timestampSeconds)} s from now (tolerance ${tolerance} s): a replayed delivery, or a clock that is off`,
    });
  }
  return ok({ timestampSeconds });
}

function macOf(secret: string, timestampSeconds: number, payload: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${timestampSeconds}.${payload}`, 'utf8')
    .digest('hex');
}

function parseHeader(
  header: string,
): Result<
  { readonly timestampSeconds: number; readonly signatures: readonly string[] },
  WebhookSignatureError
> {
  const malformed = (why: string) =>
    err({
      code: 'signature_malformed' as const,
      message: `Esimlab-Signature ${why}; expected "t=<unix seconds>,v1=<64 hex digits>"`,
    });
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0)
      return malformed(`has a part without "key=value" (${JSON.stringify(part)})`);
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined) return malformed('has more than one t');
      timestamp = value;
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return malformed('has a v1 that is not 64 hex digits');
      signatures.push(value.toLowerCase());
    }
  }
  if (timestamp === undefined || !UNIX_SECONDS.test(timestamp)) {
    return malformed('has no t with whole Unix seconds');
  }
  if (signatures.length === 0) return malformed('has no v1 signature');
  return ok({ timestampSeconds: Number(timestamp), signatures });
}
