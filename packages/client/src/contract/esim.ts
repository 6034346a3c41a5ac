import type { Money } from './money.ts';

/** GSMA SGP.22 profile states, as the carrier reports them. */
export type ProfileState =
  | 'available'
  | 'allocated'
  | 'linked'
  | 'confirmed'
  | 'released'
  | 'downloaded'
  | 'installed'
  | 'enabled'
  | 'disabled'
  | 'deleted'
  | 'error'
  | 'unavailable';

/** The subscriber's service, as distinct from the profile on the device. */
export type ServiceStatus = 'active' | 'grace' | 'suspended' | 'cancelled' | 'expired';

export interface EsimBalance {
  readonly dataRemainingBytes: number;
  /** When the base plan runs out; null before the service starts. */
  readonly expiresAt: string | null;
}

export interface Esim {
  readonly iccid: string;
  readonly msisdn: string;
  readonly imsi: string;
  readonly eid: string | null;
  readonly state: ProfileState;
  readonly status: ServiceStatus;
  readonly planId: string;
  readonly activationCode: string;
  readonly confirmationCodeRequired: boolean;
  /** Only in the response to `createEsim`, and only when the plan requires one. */
  readonly confirmationCode?: string;
  /** A capability URL of the QR code PNG: it opens without an API key. */
  readonly qrCodeUrl: string;
  readonly balance: EsimBalance;
  readonly autoRenew: boolean;
  readonly createdAt: string;
}

export interface Subscriber {
  readonly name: string;
  readonly email: string;
  /** IANA time zone: validity and expiry follow the subscriber's local days. */
  readonly timeZone: string;
}

/** `POST /v1/esims`. */
export interface EsimOrder {
  readonly planId: string;
  readonly paymentMethod: string;
  readonly subscriber: Subscriber;
  /** Binds the profile to this device. */
  readonly eid?: string;
}

export interface EsimPage {
  readonly data: readonly Esim[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

export interface EsimUsage {
  readonly dataUsedBytes: number;
  readonly dataRemainingBytes: number;
  readonly throttled: boolean;
}

/** `PATCH /v1/esims/{iccid}`. */
export interface EsimUpdate {
  readonly autoRenew?: boolean;
  readonly paymentMethod?: string;
}

export interface EsimCancellation {
  readonly iccid: string;
  readonly state: ProfileState;
  readonly status: ServiceStatus;
  /** Charged for leaving within the minimum term; null if none. */
  readonly earlyTerminationFee: Money | null;
  readonly chargeId: string | null;
  readonly cancelledAt: string;
}
