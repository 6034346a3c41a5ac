import QRCode from 'qrcode';
import type { EsimRecord } from '../../persistence/collections.ts';

// A Host header goes into a URL we hand back, so only host[:port] characters are kept.
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/**
 * The carrier's own origin as the caller reached it (`http://127.0.0.1:4101`), from the
 * `Host` header and, behind a TLS proxy, `X-Forwarded-Proto`.
 */
export function requestBaseUrl(headers: Readonly<Record<string, string | undefined>>): string {
  const host = headers.host;
  const proto = headers['x-forwarded-proto']?.split(',')[0]?.trim().toLowerCase();
  const scheme = proto === 'https' ? 'https' : 'http';
  return `${scheme}://${host !== undefined && HOST_PATTERN.test(host) ? host : 'localhost'}`;
}

/**
 * The eSIM's QR code as a capability URL: the token lets an `<img>` show it without an
 * API key, and is useless for anything else.
 */
export function qrCodeUrl(baseUrl: string, esim: Pick<EsimRecord, 'iccid' | 'qrToken'>): string {
  return `${baseUrl}/v1/esims/${esim.iccid}/qr.png?token=${encodeURIComponent(esim.qrToken)}`;
}

/** A PNG QR code of an activation code, the way a carrier prints it on an order page. */
export function renderQrPng(activationCode: string): Promise<Buffer> {
  return QRCode.toBuffer(activationCode, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 4,
    scale: 8,
  });
}
