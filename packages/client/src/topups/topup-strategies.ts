import type { ApiStyle } from '@esimlab/domain';
import { asyncStrategy } from './strategies/async-strategy.ts';
import { idempotentStrategy } from './strategies/idempotent-strategy.ts';
import { referenceStrategy } from './strategies/reference-strategy.ts';
import type { TopupStrategy } from './topup-strategy.ts';

/** The correct strategy for each API style. */
export const topupStrategies: Readonly<Record<ApiStyle, TopupStrategy>> = {
  idempotent: idempotentStrategy,
  reference: referenceStrategy,
  async: asyncStrategy,
};

/** The strategy that buys safely from a carrier in `apiStyle` (`GET /_sim/config`). */
export function defaultStrategyFor(apiStyle: ApiStyle): TopupStrategy {
  return topupStrategies[apiStyle];
}
