import type { DataCreditedEntry, LedgerEntry } from '../../ledger/ledger-entry.ts';
import type { GatewayCharge } from '../gateway-charge.ts';
import type { TopupIntent } from '../intent.ts';
import { compareText } from './evidence.ts';
import { groupBy } from './group-by.ts';
import type { HistoryIndex } from './history-index.ts';

/** An intent joined with the top-up charges and credits that belong to it. */
export interface IntentLink {
  readonly intent: TopupIntent;
  /** Every linked top-up charge, whatever its status, sorted by id. */
  readonly charges: readonly GatewayCharge[];
  /** The linked charges that were captured and kept. */
  readonly captures: readonly GatewayCharge[];
  /** Top-up credits to the intent's eSIM for any linked top-up. */
  readonly credits: readonly DataCreditedEntry[];
}

/**
 * Links each intent to the top-up charges that carry its `topupId` (as the charge's ref),
 * its `clientReference` or its `idempotencyKey`, on its own eSIM; and through those
 * top-ups to their credits.
 */
export function linkIntents(
  intents: readonly TopupIntent[],
  ledger: readonly LedgerEntry[],
  index: HistoryIndex,
): IntentLink[] {
  const topupCharges = index.charges.filter((c) => c.purpose.kind === 'topup');
  const byRef = groupBy(topupCharges, (c) => c.purpose.ref);
  const byClientReference = groupBy(
    topupCharges.filter((c) => c.clientReference !== undefined),
    (c) => c.clientReference ?? '',
  );
  const byIdempotencyKey = groupBy(
    topupCharges.filter((c) => c.idempotencyKey !== undefined),
    (c) => c.idempotencyKey ?? '',
  );
  const creditsByRef = groupBy(
    ledger.filter(
      (e): e is DataCreditedEntry => e.type === 'data_credited' && e.source.kind === 'topup',
    ),
    (e) => e.source.ref,
  );

  return intents.map((intent) => {
    const topupId = intent.outcome.status === 'ok' ? intent.outcome.topupId : undefined;
    const onSameEsim = (c: GatewayCharge): boolean => {
      const iccid = index.iccidOfCharge.get(c.id);
      return iccid === undefined || iccid === intent.iccid;
    };
    const candidates = new Set([
      ...(topupId === undefined ? [] : (byRef.get(topupId) ?? [])),
      ...(intent.clientReference === undefined
        ? []
        : (byClientReference.get(intent.clientReference) ?? [])),
      ...(intent.idempotencyKey === undefined
        ? []
        : (byIdempotencyKey.get(intent.idempotencyKey) ?? [])),
    ]);
    const charges = [...candidates].filter(onSameEsim).sort((a, b) => compareText(a.id, b.id));
    const refs = new Set(charges.map((c) => c.purpose.ref));
    if (topupId !== undefined) refs.add(topupId);
    const credits = [...refs]
      .flatMap((ref) => creditsByRef.get(ref) ?? [])
      .filter((e) => e.iccid === intent.iccid);
    return {
      intent,
      charges,
      captures: charges.filter((c) => c.status === 'captured'),
      credits,
    };
  });
}

/** The ids an intent's link touches, to find the violations it is part of. */
export const linkedIds = (link: IntentLink): { chargeIds: string[]; entryIds: string[] } => ({
  chargeIds: link.charges.map((c) => c.id),
  entryIds: link.credits.map((e) => e.id),
});
