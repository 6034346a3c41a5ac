import type { ApiStyle } from '@esimlab/domain';
import type { CarrierName } from '../contract/plan.ts';

/** `GET /_sim/config`: the carrier's identity and run-time settings. */
export interface CarrierConfig {
  readonly carrier: CarrierName;
  readonly displayName: string;
  readonly apiStyle: ApiStyle;
  readonly defaultApiStyle: ApiStyle;
  readonly timeZone: string;
  readonly smdpAddress: string;
  readonly adminTokenRequired: boolean;
  /** `async` style: wall-clock ms from acceptance to completion of a top-up. */
  readonly asyncCompletionMs: number;
  /** The longest a top-up takes from arrival to commit. */
  readonly maxProcessingMs: number;
}

/** `PATCH /_sim/config`. */
export interface CarrierConfigUpdate {
  readonly apiStyle?: ApiStyle;
  readonly asyncCompletionMs?: number;
}
