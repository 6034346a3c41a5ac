import { type LifecycleEvent, transition } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { ProblemError } from '../../http/problem.ts';
import { type EsimRecord, esims } from '../../persistence/collections.ts';
import { findDevice } from './device-registry.ts';
import { lifecycleProblem } from './lifecycle-problem.ts';
import { storeProfileChange } from './profile-change.ts';

/** What the user can do to an installed profile from the phone's settings (ES10c). */
export const profileActions = ['enable', 'disable', 'delete'] as const;
export type ProfileAction = (typeof profileActions)[number];

/**
 * Applies an ES10c action to a profile on a device: 404 `device_not_found` / `esim_not_found`
 * when either is unknown or the profile is not bound to this device, 409 `illegal_transition`
 * when its state does not allow the action. The first enable starts the base plan.
 */
export async function applyProfileAction(
  tx: StoreTx,
  context: CarrierContext,
  target: { readonly eid: string; readonly iccid: string },
  action: ProfileAction,
): Promise<EsimRecord> {
  const device = await findDevice(tx, target.eid);
  const esim = await tx.get(esims, target.iccid);
  if (!esim || esim.eid !== device.eid) {
    throw new ProblemError(
      404,
      'esim_not_found',
      `device ${device.eid} holds no eSIM ${target.iccid}; its profiles are listed by GET /_sim/devices/${device.eid}, and a profile gets onto a device with POST /v1/lpa/download`,
    );
  }
  const event: LifecycleEvent =
    action === 'enable' ? { type: 'enable', at: context.clock.now() } : { type: action };
  const result = transition(esim.profile, event);
  if (!result.ok) throw lifecycleProblem(result.error);
  return storeProfileChange(tx, context, esim, result.value);
}
