import { CarrierClient, type Esim } from '@esimlab/client';
import type { CarrierId } from '@esimlab/domain';
import { SimulatedCarrier } from '../../src/carrier/simulated-carrier.ts';
import { SimulatedTransport } from '../../src/transport/simulated-transport.ts';
import { VirtualClock } from '../../src/virtual-time/virtual-clock.ts';

export const WEDNESDAY_MORNING = Date.parse('2026-03-04T12:00:00Z');

/** A carrier in this process on virtual time, and a client reaching it through the simulated network. */
export interface SimulatedSetup {
  readonly clock: VirtualClock;
  readonly carrier: SimulatedCarrier;
  readonly transport: SimulatedTransport;
  readonly client: CarrierClient;
}

/**
 * Runs `test` against a fresh simulated carrier, everything driven on the virtual clock; the
 * carrier is closed afterwards whatever happens.
 */
export async function withSimulatedCarrier<T>(
  carrierId: CarrierId,
  test: (setup: SimulatedSetup) => Promise<T>,
  options: { readonly seed?: number } = {},
): Promise<T> {
  const clock = new VirtualClock(WEDNESDAY_MORNING);
  return clock.drive(async () => {
    const seed = options.seed ?? 1;
    const carrier = await SimulatedCarrier.start({
      carrier: carrierId,
      clock,
      seed,
      faultSeed: seed,
    });
    const transport = new SimulatedTransport({ carrier, clock });
    const client = new CarrierClient({ baseUrl: `http://${carrierId}.test.invalid`, transport });
    try {
      return await test({ clock, carrier, transport, client });
    } finally {
      await carrier.close();
    }
  });
}

const basePlans: Readonly<Record<CarrierId, string>> = {
  att: 'att-unlimited-starter',
  tmobile: 'tmobile-essentials',
  verizon: 'verizon-unlimited-welcome',
};

/** An eSIM ordered and installed on a phone in New York: in service, with its base plan's data. */
export async function activeEsim(client: CarrierClient, carrierId: CarrierId): Promise<Esim> {
  const esim = await client.createEsim({
    planId: basePlans[carrierId],
    paymentMethod: 'pm_card_visa',
    subscriber: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/New_York' },
  });
  const device = await client.sim.createDevice({
    location: { lat: 40.7128, lon: -74.006 },
    wifi: true,
  });
  await client.lpaDownload({ eid: device.eid, activationCode: esim.activationCode });
  return esim;
}
