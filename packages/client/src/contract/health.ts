import type { CarrierName } from './plan.ts';

/** `GET /healthz`. */
export interface Health {
  readonly status: 'ok';
  readonly carrier: CarrierName;
}
