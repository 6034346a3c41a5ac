import type { ApiStyle } from '@esimlab/domain';
import type { TopupOutcome } from './topup-outcome.ts';
import type { TopupIdentifiers, TopupPurchase } from './topup-purchase.ts';
import type { TopupSession } from './topup-session.ts';

/**
 * How a client buys a top-up and retries it: one per API style in `topupStrategies`, and
 * deliberately broken ones (mutants) elsewhere, to prove the checker catches them.
 */
export interface TopupStrategy {
  readonly name: string;
  /** The API style it is written for. */
  readonly apiStyle: ApiStyle;
  /** The identifiers this purchase goes by; the intent log records them. */
  identify(purchase: TopupPurchase): TopupIdentifiers;
  /** Buys and retries until it knows the outcome, or gives up (`unknown`). */
  purchase(session: TopupSession): Promise<TopupOutcome>;
}
