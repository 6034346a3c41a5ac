import type { TopupStrategy } from '@esimlab/client';
import { freshKeyRetry } from './fresh-key-retry.ts';
import { referenceBlindRetry } from './reference-blind-retry.ts';
import { timeoutBuysAgain } from './timeout-buys-again.ts';

export { startAppliesDuplicatesReceiver as startMutantReceiver } from './applies-duplicates-receiver.ts';
export { freshKeyRetry } from './fresh-key-retry.ts';
export { referenceBlindRetry } from './reference-blind-retry.ts';
export { timeoutBuysAgain } from './timeout-buys-again.ts';

export type MutantStrategyName = 'fresh-key-retry' | 'reference-blind-retry' | 'timeout-buys-again';

/** Broken top-up strategies, each wrong in one realistic way, for proving the checker. */
export const mutantStrategies: Readonly<Record<MutantStrategyName, TopupStrategy>> = {
  'fresh-key-retry': freshKeyRetry,
  'reference-blind-retry': referenceBlindRetry,
  'timeout-buys-again': timeoutBuysAgain,
};
