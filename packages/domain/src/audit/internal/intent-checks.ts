import type { UnknownIntentResolution } from '../audit.ts';
import type { Violation } from '../violation.ts';
import type { DuplicateGroup } from './duplicate-charges.ts';
import { compareText, evidenceOf } from './evidence.ts';
import type { IntentLink } from './intent-links.ts';

/** Any intent captured more than once: `ok` and `unknown` at most once, `failed` never. */
export function duplicatesByIntent(links: readonly IntentLink[]): DuplicateGroup[] {
  return links.filter((l) => l.captures.length > 1).map((l) => l.captures.map((c) => c.id));
}

const ids = (xs: readonly { readonly id: string }[]): string => xs.map((x) => x.id).join(', ');

/**
 * What a client believed against what happened: an `ok` intent credited other than exactly
 * once, a `failed` intent with a net capture.
 */
export function intentViolations(links: readonly IntentLink[]): Violation[] {
  const violations: Violation[] = [];
  for (const { intent, charges, captures, credits } of links) {
    const evidence = evidenceOf({
      chargeIds: charges.map((c) => c.id),
      entryIds: credits.map((e) => e.id),
      intentIds: [intent.intentId],
    });
    if (intent.outcome.status === 'ok' && credits.length !== 1) {
      violations.push({
        kind: 'ok_intent_not_credited',
        message:
          credits.length === 0
            ? `intent ${intent.intentId} ended ok but its top-up was never credited to ${intent.iccid}`
            : `intent ${intent.intentId} ended ok but its top-up was credited ${credits.length} times (${ids(credits)})`,
        iccid: intent.iccid,
        evidence,
      });
    }
    if (intent.outcome.status === 'failed' && captures.length > 0) {
      violations.push({
        kind: 'failed_intent_charged',
        message: `intent ${intent.intentId} ended failed but was charged (${ids(captures)})`,
        iccid: intent.iccid,
        evidence: evidenceOf({
          chargeIds: captures.map((c) => c.id),
          entryIds: credits.map((e) => e.id),
          intentIds: [intent.intentId],
        }),
      });
    }
  }
  return violations;
}

/** How each `unknown` intent turned out, judged by net captures and credits. */
export function resolveUnknownIntents(links: readonly IntentLink[]): UnknownIntentResolution[] {
  return links
    .filter((l) => l.intent.outcome.status === 'unknown')
    .map(({ intent, charges, captures, credits }) => ({
      intentId: intent.intentId,
      resolution: resolution(captures.length, credits.length),
      chargeIds: charges.map((c) => c.id),
      entryIds: credits.map((e) => e.id).sort(compareText),
    }))
    .sort((a, b) => compareText(a.intentId, b.intentId));
}

function resolution(captures: number, credits: number): UnknownIntentResolution['resolution'] {
  if (captures > 1) return 'charged_more_than_once';
  if (captures === 1) {
    if (credits === 0) return 'charged_not_credited';
    return credits === 1 ? 'charged_and_credited' : 'credited_more_than_once';
  }
  return credits === 0 ? 'not_charged' : 'credited_without_charge';
}
