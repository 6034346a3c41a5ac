import type { Money } from './money.ts';

export type CarrierName = 'att' | 'tmobile' | 'verizon';

/** A plan of the carrier's catalog: a base plan (ordered with an eSIM) or an add-on (a top-up). */
export interface Plan {
  readonly id: string;
  readonly carrier: CarrierName;
  readonly name: string;
  readonly kind: 'base' | 'addon';
  /** Add-ons only: a `pass` (time-boxed, one at a time on some carriers) or a `boost`. */
  readonly addonKind?: 'pass' | 'boost';
  readonly dataBytes: number;
  readonly validityDays: number;
  readonly price: Money;
  readonly autoRenewable: boolean;
  readonly minTermDays: number;
  readonly earlyTerminationFee: Money | null;
  /** Base plans only: whether the activation code needs a confirmation code. */
  readonly confirmationCodeRequired?: boolean;
}
