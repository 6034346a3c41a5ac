import type { ProfileState } from './esim.ts';

/** `POST /v1/lpa/download`, as a phone sends it (no API key: the activation code is the credential). */
export interface ProfileDownloadRequest {
  readonly eid: string;
  /** The text of the QR code: `LPA:1$<SM-DP+ address>$<matching id>[$<OID>[$1]]`. */
  readonly activationCode: string;
  /** Required when the activation code ends in `$1`. */
  readonly confirmationCode?: string;
}

export interface ProfileDownload {
  readonly iccid: string;
  readonly state: ProfileState;
}
