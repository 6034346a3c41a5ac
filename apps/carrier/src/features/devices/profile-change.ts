import type { Profile, ProfileState } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { type EsimRecord, esims } from '../../persistence/collections.ts';
import { fulfilOrder } from '../esims/fulfil-order.ts';
import { recordEvent } from '../events/journal.ts';

const onEuicc: readonly ProfileState[] = ['installed', 'enabled', 'disabled'];
const delivered: readonly ProfileState[] = ['downloaded', ...onEuicc];

/**
 * Stores a profile's new record on its eSIM (binding the eSIM to the profile's EID) and
 * journals each step it took. The first enable starts the base plan: `fulfilOrder` credits its
 * data and captures the order charge in the same transaction. Returns the stored eSIM.
 */
export async function storeProfileChange(
  tx: StoreTx,
  context: CarrierContext,
  esim: EsimRecord,
  after: Profile,
): Promise<EsimRecord> {
  const before = esim.profile;
  if (sameProfile(before, after)) return esim;
  const updated: EsimRecord = {
    ...esim,
    profile: after,
    ...(after.eid === undefined ? {} : { eid: after.eid }),
  };
  await tx.update(esims, updated);
  for (const [type, data] of profileSteps(before, after)) {
    await recordEvent(tx, context, {
      type,
      tenantId: esim.tenantId,
      iccid: esim.iccid,
      ...(updated.eid === undefined ? {} : { eid: updated.eid }),
      data: { from: before.state, to: after.state, ...data },
    });
  }
  if (before.firstEnabledAt === undefined && after.firstEnabledAt !== undefined) {
    return fulfilOrder(tx, context, updated, after.firstEnabledAt);
  }
  return updated;
}

/** The journal entries for one stored change, in lifecycle order. */
function profileSteps(before: Profile, after: Profile): [string, Record<string, unknown>][] {
  const steps: [string, Record<string, unknown>][] = [];
  if (after.confirmationCodeAttempts > before.confirmationCodeAttempts) {
    steps.push([
      'profile.confirmation_code_rejected',
      { attempts: after.confirmationCodeAttempts },
    ]);
  }
  if (after.state === before.state) return steps;
  if (before.state === 'released' && delivered.includes(after.state)) {
    steps.push(['profile.downloaded', {}]);
  }
  if (!onEuicc.includes(before.state) && onEuicc.includes(after.state)) {
    steps.push(['profile.installed', {}]);
  }
  if (after.state === 'enabled') steps.push(['profile.enabled', {}]);
  if (after.state === 'disabled') steps.push(['profile.disabled', {}]);
  if (after.state === 'deleted') steps.push(['profile.deleted', {}]);
  if (after.state === 'error') steps.push(['profile.locked', {}]);
  return steps;
}

// Profiles are flat records of scalars.
function sameProfile(a: Profile, b: Profile): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Profile>;
  return [...keys].every((key) => a[key] === b[key]);
}
