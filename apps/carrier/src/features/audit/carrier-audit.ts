import {
  type AuditReport,
  audit,
  type GatewayCharge,
  type IdempotencyRecord,
  type TopupIntent,
} from '@esimlab/domain';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { charges, idempotencyKeys } from '../../persistence/collections.ts';
import { wholeLedger } from '../ledger/esim-ledger.ts';

/**
 * Runs the domain audit over this carrier's whole ledger, its gateway's charges and its stored
 * keys, joined with a client's intents when it sends its log.
 */
export function auditCarrier(
  context: CarrierContext,
  intents: readonly TopupIntent[] = [],
): Promise<AuditReport> {
  return context.store.transaction(async (tx) => {
    const ledger = await wholeLedger(tx);
    const gatewayCharges: GatewayCharge[] = (
      await tx.find(charges, {}, { orderBy: 'createdAt' })
    ).map((c) => ({
      id: c.id,
      amount: c.amount,
      status: c.status,
      purpose: c.purpose,
      createdAt: c.createdAt,
      ...(c.idempotencyKey === undefined ? {} : { idempotencyKey: c.idempotencyKey }),
      ...(c.clientReference === undefined ? {} : { clientReference: c.clientReference }),
    }));
    const idempotencyRecords: IdempotencyRecord[] = (await tx.find(idempotencyKeys, {})).map(
      (r) => {
        // The record id is "<tenant> <METHOD> <path> <key>"; the key may itself contain spaces.
        const [tenantId = '', method = '', path = ''] = r.id.split(' ');
        return { key: r.key, scope: { tenantId, method, path }, requestFingerprint: r.fingerprint };
      },
    );
    return audit({
      ledger,
      charges: gatewayCharges,
      consumptionOrder: context.profile.dataRules.consumptionOrder,
      idempotencyRecords,
      intents,
    });
  });
}
