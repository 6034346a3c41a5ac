import { toIso } from '@esimlab/domain';
import { ProblemError } from '../../http/problem.ts';
import type { DeviceRecord } from '../../persistence/collections.ts';
import type { DeviceCoverage } from '../coverage/current-coverage.ts';

/** Seconds a phone should wait before trying again: coverage gaps are usually short. */
export const NETWORK_RETRY_AFTER_SECONDS = 30;

/**
 * 503 `network_unreachable`: the simulated phone cannot reach the carrier. `needs` says which
 * link was missing: any network (a download also works over wifi) or a cellular signal.
 */
export function networkUnreachable(
  device: DeviceRecord,
  coverage: DeviceCoverage,
  needs: 'any-network' | 'cellular',
): ProblemError {
  if (coverage.gap !== undefined) return inCoverageGap(device, coverage, needs);
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

/** The same 503 when a `coverage-gap` fault rule took the signal away: say how it ends. */
function inCoverageGap(
  device: DeviceRecord,
  coverage: DeviceCoverage,
  needs: 'any-network' | 'cellular',
): ProblemError {
  const ruleId = coverage.gap?.rule.id ?? '';
  const until = coverage.gap?.until;
  const ends = until === undefined ? '' : ` until ${toIso(until)} (simulated time)`;
  const wifi =
    needs === 'any-network'
      ? `turn wifi on (PATCH /_sim/devices/${device.eid} {"wifi": true}), `
      : '';
  const detail = `device ${device.eid} has no signal: it is in coverage gap \`${ruleId}\` (a fault rule)${ends}; ${wifi}advance the clock past the gap (POST /_sim/clock/advance) or remove the rule (DELETE /_sim/faults/${ruleId}), then retry`;
  return new ProblemError(503, 'network_unreachable', detail, {
    extensions: { eid: device.eid, region: coverage.region, faultRule: ruleId },
    headers: { 'Retry-After': String(NETWORK_RETRY_AFTER_SECONDS) },
  });
}
