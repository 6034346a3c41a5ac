import { describe, expect, it } from 'vitest';
import { type CheckReport, type CheckViolationKind, checkViolationKinds } from './check-report.ts';
import { formatCheckReport } from './format-check-report.ts';

const counts = (some: Partial<Record<CheckViolationKind, number>>) =>
  ({
    ...Object.fromEntries(checkViolationKinds.map((k) => [k, 0])),
    ...some,
  }) as Record<CheckViolationKind, number>;

const noEvidence = { chargeIds: [], entryIds: [], intentIds: [], idempotencyKeys: [] };

describe('formatCheckReport', () => {
  it('reads a failed run: the verdict, one line per violation, unknown intents, what was skipped', () => {
    const report: CheckReport = {
      ok: false,
      violations: [
        {
          kind: 'duplicate_charge',
          carrier: 'tmobile',
          message: '2 captured charges pay for one purchase: ch_1, ch_2',
          intentIds: ['i-1'],
          evidence: { ...noEvidence, chargeIds: ['ch_1', 'ch_2'], intentIds: ['i-1'] },
        },
        {
          kind: 'event_applied_twice',
          carrier: 'att',
          message: 'receiver app applied event ev_1 (topup.succeeded) 2 times',
          intentIds: [],
          evidence: {
            receiver: 'app',
            endpointId: 'we_1',
            eventId: 'ev_1',
            eventType: 'topup.succeeded',
            deliveryIds: ['wd_1'],
            deliveryStatuses: ['delivered'],
            attemptCount: 2,
            appliedCount: 2,
          },
        },
      ],
      counts: counts({ duplicate_charge: 1, event_applied_twice: 1 }),
      intents: [
        { intentId: 'i-1', carrier: 'tmobile', outcome: 'ok', violations: ['duplicate_charge'] },
        {
          intentId: 'i-2',
          carrier: 'att',
          outcome: 'unknown',
          resolution: 'charged_not_credited',
          violations: [],
        },
      ],
      skipped: [
        {
          carrier: 'att',
          check: 'balance',
          subject: '8910410000000000017',
          reason: 'no API key given for att sees this eSIM',
        },
      ],
    };
    expect(formatCheckReport(report)).toBe(
      [
        'checker: FAILED, 2 violations (duplicate_charge 1, event_applied_twice 1) in 2 intents',
        '  ✗ duplicate_charge (tmobile): 2 captured charges pay for one purchase: ch_1, ch_2 [intents i-1]',
        '  ✗ event_applied_twice (att): receiver app applied event ev_1 (topup.succeeded) 2 times',
        'unknown intents:',
        '  ? i-2 (att): charged_not_credited',
        'not checked:',
        '  - balance 8910410000000000017 (att): no API key given for att sees this eSIM',
      ].join('\n'),
    );
  });

  it('is one line for a clean run', () => {
    const report: CheckReport = {
      ok: true,
      violations: [],
      counts: counts({}),
      intents: [],
      skipped: [],
    };
    expect(formatCheckReport(report)).toBe('checker: ok, no violations (0 intents)');
  });
});
