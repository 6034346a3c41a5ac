import { requestAnyReplica } from './internal/any-replica.ts';
import type { LoadRuntime } from './load-runtime.ts';
import { auditRecharge, type RechargeAudit } from './recharge-audit.ts';
import type { RechargeMetrics } from './recharge-metrics.ts';
import type { RechargeRun } from './recharge-run.ts';

/** How long one replica has to clear the faults setup armed. */
export const FAULTS_RESET_TIMEOUT_MS = 10_000;

/**
 * k6's `teardown()` and the driver's last step: the carrier's audit, counted into the
 * metrics, then the faults setup armed are cleared, so a carrier the run was pointed at is
 * not left failing requests for whoever uses it next.
 */
export async function teardownRecharge(
  runtime: LoadRuntime,
  run: RechargeRun,
  metrics: RechargeMetrics,
): Promise<RechargeAudit> {
  const audit = await auditRecharge(runtime, run, metrics);
  if (run.faults !== 'none') {
    // Best effort: the verdict is the audit's, whatever happens here.
    await requestAnyReplica(runtime, run.baseUrls, (baseUrl) => ({
      method: 'DELETE',
      url: `${baseUrl}/_sim/faults`,
      headers: run.adminToken === undefined ? {} : { 'x-sim-admin-token': run.adminToken },
      timeoutMs: FAULTS_RESET_TIMEOUT_MS,
      name: 'teardown DELETE /_sim/faults',
    }));
  }
  return audit;
}
