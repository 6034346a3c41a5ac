import { type TopupStrategy, topupStrategies } from '@esimlab/client';
import { mutantStrategies } from '@esimlab/harness';
import { captureFirstSagaCarrier } from '../carrier/mutants/capture-first-saga-carrier.ts';
import { memoryIdempotencyCarrier } from '../carrier/mutants/memory-idempotency-carrier.ts';
import { memoryOutboxCarrier } from '../carrier/mutants/memory-outbox-carrier.ts';
import { type CarrierBuild, standardCarrier } from '../run-options.ts';

/**
 * The client strategies a run (and so a replay command) can name. A replay rebuilds its run
 * from names alone, so a strategy or carrier build used in a test must be listed here.
 */
export const namedStrategies: ReadonlyMap<string, TopupStrategy> = new Map(
  [...Object.values(topupStrategies), ...Object.values(mutantStrategies)].map((strategy) => [
    strategy.name,
    strategy,
  ]),
);

/** The carrier builds a run can name: the real one and its mutants. */
export const namedCarrierBuilds: ReadonlyMap<string, CarrierBuild> = new Map(
  [standardCarrier, memoryIdempotencyCarrier, captureFirstSagaCarrier, memoryOutboxCarrier].map(
    (build) => [build.name, build],
  ),
);
