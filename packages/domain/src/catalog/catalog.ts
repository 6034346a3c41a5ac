import { err, ok, type Result, unwrap } from '../result.ts';
import { type CarrierId, carrierIds } from './carrier.ts';
import type { CarrierProfile } from './carrier-profile.ts';
import { attProfile } from './carriers/att.ts';
import { tmobileProfile } from './carriers/tmobile.ts';
import { verizonProfile } from './carriers/verizon.ts';
import { type CatalogProblem, carrierProfileProblems } from './internal/catalog-rules.ts';
import type { AddonPlan, BasePlan, Plan } from './plan.ts';

export type { CatalogProblem } from './internal/catalog-rules.ts';

export interface CatalogError {
  readonly code: 'invalid_catalog';
  readonly carrier: string;
  readonly problems: readonly CatalogProblem[];
  readonly message: string;
}

export interface PlanNotFoundError {
  readonly code: 'plan_not_found';
  readonly field: 'planId';
  readonly message: string;
}

/** Checks a carrier profile against every catalog rule and reports all the problems at once. */
export function validateCarrierProfile(
  profile: CarrierProfile,
): Result<CarrierProfile, CatalogError> {
  const problems = carrierProfileProblems(profile);
  if (problems.length === 0) return ok(profile);
  const carrier = String(profile.id);
  const lines = problems.map((problem) => `- ${problem.path}: ${problem.message}`);
  return err({
    code: 'invalid_catalog',
    carrier,
    problems,
    message: `the \`${carrier}\` catalog has ${problems.length} problem(s):\n${lines.join('\n')}`,
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// Validated once, when the module loads: a bad catalog is a bug and must stop the process.
// Frozen, because every carrier process and test shares these objects.
function loadCatalog(
  profiles: readonly CarrierProfile[],
): Readonly<Record<CarrierId, CarrierProfile>> {
  const byId = Object.fromEntries(
    profiles.map((profile) => [profile.id, unwrap(validateCarrierProfile(profile))]),
  ) as Partial<Record<CarrierId, CarrierProfile>>;
  for (const id of carrierIds) {
    if (byId[id] === undefined) throw new Error(`carrier \`${id}\` has no catalog`);
  }
  for (const key of ['iccidIssuerId', 'smdpAddress'] as const) {
    if (new Set(profiles.map((profile) => profile[key])).size !== profiles.length) {
      throw new Error(`two carriers share one ${key}`);
    }
  }
  if (new Set(profiles.map((profile) => profile.mcc + profile.mnc)).size !== profiles.length) {
    throw new Error('two carriers share one MCC + MNC');
  }
  return deepFreeze(byId as Record<CarrierId, CarrierProfile>);
}

/** The three carriers' validated, frozen profiles. */
export const carrierProfiles: Readonly<Record<CarrierId, CarrierProfile>> = loadCatalog([
  attProfile,
  tmobileProfile,
  verizonProfile,
]);

/** Every plan a carrier sells, base plans and add-ons, in catalog order. */
export function plansOf(carrier: CarrierId): readonly Plan[] {
  return carrierProfiles[carrier].plans;
}

const MAX_SHOWN_ID = 64;

/**
 * Looks up a plan in one carrier's catalog, optionally requiring its kind (an order needs
 * a base plan, a top-up an add-on). The error says where the plan is sold, if anywhere.
 */
export function findPlan(carrier: CarrierId, planId: string): Result<Plan, PlanNotFoundError>;
export function findPlan(
  carrier: CarrierId,
  planId: string,
  kind: 'base',
): Result<BasePlan, PlanNotFoundError>;
export function findPlan(
  carrier: CarrierId,
  planId: string,
  kind: 'addon',
): Result<AddonPlan, PlanNotFoundError>;
export function findPlan(
  carrier: CarrierId,
  planId: string,
  kind?: Plan['kind'],
): Result<Plan, PlanNotFoundError> {
  const shown = planId.length > MAX_SHOWN_ID ? `${planId.slice(0, MAX_SHOWN_ID)}…` : planId;
  const notFound = (reason: string) =>
    err({
      code: 'plan_not_found' as const,
      field: 'planId' as const,
      message: `${reason}; list \`${carrier}\` plans with GET /v1/plans`,
    });
  const plan = plansOf(carrier).find((candidate) => candidate.id === planId);
  if (plan === undefined) {
    const elsewhere = carrierIds.find(
      (other) => other !== carrier && plansOf(other).some((candidate) => candidate.id === planId),
    );
    return notFound(
      elsewhere === undefined
        ? `plan \`${shown}\` is not sold by \`${carrier}\``
        : `plan \`${shown}\` is not sold by \`${carrier}\` (it is a \`${elsewhere}\` plan)`,
    );
  }
  if (kind === 'base' && plan.kind !== 'base') {
    return notFound(`plan \`${shown}\` is an add-on, but an eSIM order needs a base plan`);
  }
  if (kind === 'addon' && plan.kind !== 'addon') {
    return notFound(
      `plan \`${shown}\` is a base plan, but a top-up needs an add-on (a pass or a boost)`,
    );
  }
  return ok(plan);
}
