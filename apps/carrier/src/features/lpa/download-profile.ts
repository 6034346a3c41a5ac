import {
  type ActivationCode,
  downloadAndInstall,
  type LifecycleError,
  type Profile,
  profileAfter,
  type Result,
} from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { ProblemError } from '../../http/problem.ts';
import { type EsimRecord, esims } from '../../persistence/collections.ts';
import { deviceCoverage } from '../coverage/current-coverage.ts';
import { findDevice } from '../devices/device-registry.ts';
import { lifecycleProblem } from '../devices/lifecycle-problem.ts';
import { networkUnreachable } from '../devices/network-unreachable.ts';
import { storeProfileChange } from '../devices/profile-change.ts';
import { faultDeviceOperation } from '../faults/device-faults.ts';

export interface DownloadRequest {
  readonly eid: string;
  readonly activationCode: ActivationCode;
  readonly confirmationCode?: string | undefined;
}

/**
 * What the SM-DP+ does when a phone's LPA scans an activation code: the device must reach the
 * network (wifi or a signal), the code must name one of this carrier's eSIMs, then the domain
 * downloads, installs and enables the profile. Refusals that count (a wrong confirmation code,
 * the lock) are stored before the problem is thrown; a retry from the same EID is a no-op.
 */
export async function downloadProfile(
  context: CarrierContext,
  request: DownloadRequest,
): Promise<EsimRecord> {
  // A weak signal slows the download down before it starts; a coverage gap cuts it off below.
  const faults = await faultDeviceOperation(context, request.eid, 'download');
  const { result, esim } = await context.store.transaction(async (tx) => {
    const device = await findDevice(tx, request.eid);
    const coverage = await deviceCoverage(tx, context, device, faults);
    // No link at all: the request never reaches the SM-DP+, so nothing about the code is checked.
    if (!device.wifi && coverage.signal === 'none') {
      throw networkUnreachable(device, coverage, 'any-network');
    }
    const ordered = await esimForCode(tx, context, request.activationCode);
    const attempted: Result<Profile, LifecycleError> = downloadAndInstall(ordered.profile, {
      eid: device.eid,
      at: context.clock.now(),
      ...(request.confirmationCode === undefined
        ? {}
        : { confirmationCode: request.confirmationCode }),
    });
    const after = profileAfter(ordered.profile, attempted);
    return { result: attempted, esim: await storeProfileChange(tx, context, ordered, after) };
  });
  if (!result.ok) throw lifecycleProblem(result.error);
  return esim;
}

async function esimForCode(
  tx: StoreTx,
  context: CarrierContext,
  code: ActivationCode,
): Promise<EsimRecord> {
  const ours = code.smdpAddress.toLowerCase() === context.profile.smdpAddress.toLowerCase();
  const [esim] = ours ? await tx.find(esims, { matchingId: code.matchingId }, { limit: 1 }) : [];
  // One answer for a foreign SM-DP+ and an unknown matching id: a probe learns nothing.
  if (!esim) {
    throw new ProblemError(
      404,
      'esim_not_found',
      `no ${context.profile.displayName} eSIM has this activation code; scan the QR code (or copy the activationCode) of an eSIM ordered from this carrier with POST /v1/esims`,
    );
  }
  return esim;
}
