import { type TopupStrategy, topupStrategies } from '@esimlab/client';
import { type CarrierBuild, standardCarrier } from '../run-options.ts';

/**
 * The client strategies a run (and so a replay command) can name. A replay rebuilds its run
 * from names alone, so a strategy or carrier build used in a test must be listed here.
 */
export const namedStrategies: ReadonlyMap<string, TopupStrategy> = new Map(
  Object.values(topupStrategies).map((strategy) => [strategy.name, strategy]),
);

/** The carrier builds a run can name. */
export const namedCarrierBuilds: ReadonlyMap<string, CarrierBuild> = new Map([
  [standardCarrier.name, standardCarrier],
]);
