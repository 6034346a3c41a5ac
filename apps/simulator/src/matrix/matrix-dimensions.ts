import { type TopupStrategy, topupStrategies } from '@esimlab/client';
import type { ApiStyle } from '@esimlab/domain';
import type { FaultKind } from '@esimlab/faults';
import { mutantStrategies } from '@esimlab/harness';

/** The carrier's API styles, one block of rows each. */
export const matrixStyles: readonly ApiStyle[] = ['idempotent', 'reference', 'async'];

/**
 * The clients of each row: the correct strategy of every style (so each one also meets the
 * styles it was not written for), then the harness's broken clients.
 */
export const matrixStrategies: readonly TopupStrategy[] = [
  topupStrategies.idempotent,
  topupStrategies.reference,
  topupStrategies.async,
  mutantStrategies['fresh-key-retry'],
  mutantStrategies['reference-blind-retry'],
  mutantStrategies['timeout-buys-again'],
];

/**
 * The network faults of the columns, each alone in its run. `error` covers every injected
 * status (500, 502, 503, 504 and 429, with or without `Retry-After`): the clients treat them
 * alike, as an answer that says nothing was done.
 */
export const matrixFaults: readonly FaultKind[] = [
  'reset-before',
  'reset-after-commit',
  'timeout',
  'truncated',
  'error',
  'latency',
  'slow-body',
];
