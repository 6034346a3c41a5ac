import type { StepKind } from '../scenario-schema.ts';
import type { FileProblem } from './file-problem.ts';

/** What a name given with `as:` stands for. */
type Named = 'tenant' | 'esim' | 'device' | 'topup' | 'receiver';

const nouns: Record<Named, { one: string; many: string; step: StepKind }> = {
  tenant: { one: 'a tenant', many: 'tenants', step: 'tenant' },
  esim: { one: 'an eSIM', many: 'eSIMs', step: 'esim' },
  device: { one: 'a device', many: 'devices', step: 'device' },
  topup: { one: 'a top-up', many: 'top-ups', step: 'topup' },
  receiver: { one: 'a webhook receiver', many: 'webhook receivers', step: 'webhooks' },
};

/** The steps whose `as:` gives a name, and what it names. */
const definitions: Partial<Record<StepKind, Named>> = {
  tenant: 'tenant',
  esim: 'esim',
  device: 'device',
  topup: 'topup',
  webhooks: 'receiver',
};

// Kept by hand beside the schema: every step field that names what an earlier step defined.
const referenceFields: Partial<Record<StepKind, Readonly<Record<string, Named>>>> = {
  esim: { tenant: 'tenant' },
  activate: { esim: 'esim', device: 'device' },
  profile: { device: 'device', esim: 'esim' },
  qr: { esim: 'esim' },
  move: { device: 'device' },
  topup: { esim: 'esim', tenant: 'tenant' },
  use: { device: 'device' },
  update: { esim: 'esim' },
  cancel: { esim: 'esim' },
  webhooks: { tenant: 'tenant' },
  trigger: { esim: 'esim' },
};

/** `expect` names things by the keys of its sections: `balance: {alice: …}`. */
const expectSections: Readonly<Record<string, Named>> = {
  balance: 'esim',
  charges: 'esim',
  state: 'esim',
  intents: 'topup',
  events: 'receiver',
};

/** One step as written: its index in `steps`, its kind and its body. */
export interface WrittenStep {
  readonly index: number;
  readonly kind: StepKind;
  readonly body: unknown;
}

interface Definition {
  readonly name: string;
  readonly named: Named;
  readonly index: number;
}

/**
 * Checks the names steps give with `as:` (unique within the scenario) and the names they use
 * (defined by an earlier step, and naming the right kind of thing). `lineOfStep` lets a
 * message point at the other step involved.
 */
export function checkStepNames(
  steps: readonly WrittenStep[],
  lineOfStep: (index: number) => number,
): FileProblem[] {
  const problems: FileProblem[] = [];
  const firstDefinition = new Map<string, Definition>();
  const allDefinitions: Definition[] = [];
  const stepName = (index: number) => `steps[${index}] (line ${lineOfStep(index)})`;

  for (const step of steps) {
    const named = definitions[step.kind];
    const name = fieldOf(step.body, 'as');
    if (named === undefined || name === undefined) continue;
    const earlier = firstDefinition.get(name);
    if (earlier) {
      const path = ['steps', step.index, step.kind, 'as'];
      problems.push({
        code: 'duplicate_name',
        field: path,
        locate: { path, at: 'value' },
        detail: `"${name}" already names ${nouns[earlier.named].one} defined by ${stepName(earlier.index)}; names given with as: are unique in a scenario — choose another`,
      });
      continue;
    }
    const definition = { name, named, index: step.index };
    firstDefinition.set(name, definition);
    allDefinitions.push(definition);
  }

  const check = (
    step: WrittenStep,
    name: string,
    needed: Named,
    path: PropertyKey[],
    at: 'key' | 'value',
  ) => {
    const detail = referenceProblem(name, needed, step.index, allDefinitions, stepName);
    if (detail !== undefined) {
      problems.push({ code: 'undefined_reference', field: path, locate: { path, at }, detail });
    }
  };

  for (const step of steps) {
    const base = ['steps', step.index, step.kind];
    for (const [field, needed] of Object.entries(referenceFields[step.kind] ?? {})) {
      const name = fieldOf(step.body, field);
      if (name !== undefined) check(step, name, needed, [...base, field], 'value');
    }
    if (step.kind !== 'expect') continue;
    for (const [section, needed] of Object.entries(expectSections)) {
      const entries = (step.body as Record<string, unknown> | null)?.[section];
      if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) continue;
      for (const name of Object.keys(entries))
        check(step, name, needed, [...base, section, name], 'key');
    }
  }
  return problems;
}

function referenceProblem(
  name: string,
  needed: Named,
  index: number,
  definitions: readonly Definition[],
  stepName: (index: number) => string,
): string | undefined {
  const definition = definitions.find((d) => d.name === name);
  const earlierOfKind = definitions
    .filter((d) => d.named === needed && d.index < index)
    .map((d) => d.name);
  const defined =
    earlierOfKind.length > 0
      ? `${nouns[needed].many} defined: ${earlierOfKind.join(', ')}`
      : `no earlier step defines ${nouns[needed].one}; add a \`${nouns[needed].step}\` step with \`as: ${name}\` before this one`;
  if (definition === undefined) return `"${name}" is not defined by an earlier step; ${defined}`;
  if (definition.named !== needed) {
    return `"${name}" is ${nouns[definition.named].one} (${stepName(definition.index)}), but this field names ${nouns[needed].one}; ${defined}`;
  }
  if (definition.index >= index) {
    return `"${name}" is defined later, by ${stepName(definition.index)}; move that step before this one`;
  }
  return undefined;
}

function fieldOf(body: unknown, key: string): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}
