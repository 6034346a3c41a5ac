import { ProblemError } from '../../http/problem.ts';
import type { DeviceRecord } from '../../persistence/collections.ts';
import type { Coverage } from '../coverage/coverage-at.ts';

/** Seconds a phone should wait before trying again: coverage gaps are usually short. */
export const NETWORK_RETRY_AFTER_SECONDS = 30;

/**
 * 503 `network_unreachable`: the simulated phone cannot reach the carrier. `needs` says which
 * link was missing: any network (a download also works over wifi) or a cellular signal.
 */
export function networkUnreachable(
  device: DeviceRecord,
  coverage: Coverage,
  needs: 'any-network' | 'cellular',
): ProblemError {
  const where = `no signal in region \`${coverage.region}\``;
  const detail =
    needs === 'any-network'
      ? `device ${device.eid} has wifi off and ${where}; turn wifi on (PATCH /_sim/devices/${device.eid} {"wifi": true}) or move it into coverage, then retry`
      : `device ${device.eid} has ${where}, and wifi traffic does not use mobile data; move it into coverage (PATCH /_sim/devices/${device.eid} {"location": ...}) or remove the coverage override, then retry`;
  return new ProblemError(503, 'network_unreachable', detail, {
    extensions: { eid: device.eid, region: coverage.region },
    headers: { 'Retry-After': String(NETWORK_RETRY_AFTER_SECONDS) },
  });
}
