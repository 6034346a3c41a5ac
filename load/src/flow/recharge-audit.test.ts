import { describe, expect, it } from 'vitest';
import type { LoadAnswer, LoadRequest, LoadRuntime } from './load-runtime.ts';
import { auditRecharge, describeAudit } from './recharge-audit.ts';
import type { MetricSink, RechargeMetrics } from './recharge-metrics.ts';
import type { RechargeRun } from './recharge-run.ts';

/** A runtime whose every request gets `answer`; the requests are kept. */
function answering(answer: LoadAnswer): LoadRuntime & { readonly asked: LoadRequest[] } {
  const asked: LoadRequest[] = [];
  return {
    asked,
    request: async (request) => {
      asked.push(request);
      return answer;
    },
    sleep: async () => undefined,
    now: () => 0,
    random: () => 0,
  };
}

function recordingMetrics(): RechargeMetrics & { readonly totals: Record<string, number> } {
  const totals: Record<string, number> = {};
  const sink = (name: string): MetricSink => ({
    add: (value) => {
      totals[name] = (totals[name] ?? 0) + Number(value);
    },
  });
  return {
    totals,
    duplicateCharges: sink('duplicate_charges'),
    lostTopups: sink('lost_topups'),
    auditViolations: sink('audit_violations'),
    topupUnknown: sink('topup_unknown'),
    rechargeDuration: sink('recharge_duration'),
    topupRetries: sink('topup_retries'),
  };
}

const run = {
  baseUrls: ['http://127.0.0.1:4101'],
  adminToken: 'tok',
} as unknown as RechargeRun;

describe('auditRecharge', () => {
  it('counts lost top-ups, the charges beyond the first of each purchase, and every violation', async () => {
    const runtime = answering({
      type: 'response',
      status: 200,
      headers: {},
      body: JSON.stringify({
        ok: false,
        counts: { lost_topup: 1, duplicate_charge: 1, negative_balance: 1 },
        violations: [
          {
            kind: 'lost_topup',
            message: 'tu_1 captured, never credited',
            evidence: { chargeIds: ['ch_1'] },
          },
          {
            kind: 'duplicate_charge',
            message: 'one purchase captured three times',
            evidence: { chargeIds: ['ch_2', 'ch_3', 'ch_4'] },
          },
          { kind: 'negative_balance', message: 'overdrawn' },
        ],
      }),
    });
    const metrics = recordingMetrics();
    const audit = await auditRecharge(runtime, run, metrics);

    expect(metrics.totals).toEqual({ duplicate_charges: 2, lost_topups: 1, audit_violations: 3 });
    expect(audit).toMatchObject({ status: 'audited', ok: false, counts: { lost_topup: 1 } });
    expect(runtime.asked[0]).toMatchObject({
      method: 'GET',
      url: 'http://127.0.0.1:4101/_sim/audit',
      headers: { 'x-sim-admin-token': 'tok' },
    });
    expect(describeAudit(audit, 'att')).toContain('  lost_topup: tu_1 captured, never credited');
  });

  it('counts one violation, and says why, when no replica answers the audit', async () => {
    const metrics = recordingMetrics();
    const audit = await auditRecharge(
      answering({ type: 'network-error', kind: 'refused', message: 'connect ECONNREFUSED' }),
      run,
      metrics,
    );
    // An unread audit proves nothing: audit_violations count==0 must not hold.
    expect(metrics.totals).toEqual({ audit_violations: 1 });
    expect(describeAudit(audit, 'att')).toMatch(/the att audit could not be read: refused/);
  });
});
