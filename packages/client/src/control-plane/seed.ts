/** `POST /_sim/seed`: resets, then creates subscribers with devices and eSIMs (same seed, same data). */
export interface SeedInput {
  readonly seed: number;
  /** 1..200; default 10. */
  readonly subscribers?: number;
}

export interface SeededSubscriber {
  readonly name: string;
  readonly email: string;
  readonly timeZone: string;
  readonly eid: string;
  readonly iccid: string;
  readonly msisdn: string;
  readonly planId: string;
  readonly activationCode: string;
  readonly confirmationCode?: string;
}

export interface SeedResult {
  readonly subscribers: readonly SeededSubscriber[];
}
