import type { TimeZone } from '../time/time-zone.ts';
import type { ApiStyle, CarrierId } from './carrier.ts';
import type { DataRules } from './data-rules.ts';
import type { Plan } from './plan.ts';
import type { Promotion } from './promotion.ts';

/** Everything that makes one mock carrier differ from the others: its catalog and identity. */
export interface CarrierProfile {
  readonly id: CarrierId;
  /** The brand shown to people, e.g. `AT&T`. */
  readonly displayName: string;
  /** The carrier's home zone: promotions are judged by its wall clock. */
  readonly timeZone: TimeZone;
  readonly defaultApiStyle: ApiStyle;
  /** FQDN of the carrier's SM-DP+, the host in its activation codes; under `.test`, never real. */
  readonly smdpAddress: string;
  /** The issuer digits after `89` + `1` (US) in the carrier's ICCIDs. */
  readonly iccidIssuerId: string;
  /** Mobile country code (310-316 in the US) that starts the carrier's IMSIs. */
  readonly mcc: string;
  /** Mobile network code, three digits in the US. */
  readonly mnc: string;
  readonly dataRules: DataRules;
  readonly promotions: readonly Promotion[];
  readonly plans: readonly Plan[];
}
