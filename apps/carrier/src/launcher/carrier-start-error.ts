import type { CarrierId } from '@esimlab/domain';

/** A carrier process that could not start: the message names the carrier and what to do. */
export class CarrierStartError extends Error {
  readonly code: 'port_in_use' | 'carrier_start_failed';
  readonly carrier: CarrierId;

  constructor(carrier: CarrierId, code: CarrierStartError['code'], message: string) {
    super(message);
    this.carrier = carrier;
    this.code = code;
  }
}
