import { z } from 'zod';
import { scenarioSchema } from './scenario-schema.ts';

/** Where the generated schema is committed, relative to the repository root. */
export const scenarioJsonSchemaPath = 'scenarios/scenario.schema.json';

/**
 * The scenario language as JSON Schema (draft 2020-12), generated from the same zod schema
 * that validates scenario files. Editors use it through the first line of a scenario file,
 * `# yaml-language-server: $schema=../scenario.schema.json`, to complete and check keys.
 * It describes the input a file may contain, so defaulted fields are optional.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioSchema, {
    io: 'input',
    // Refinements and transforms cannot be expressed; the loader still enforces them.
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: 'urn:esimlab:scenario-schema:v1',
    ...rest,
    title: 'esimlab scenario',
  };
}

/** The schema as committed: two-space indentation and a trailing newline. */
export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
