import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  renderScenarioJsonSchema,
  scenarioJsonSchema,
  scenarioJsonSchemaPath,
} from '../../src/scenarios/scenario-json-schema.ts';
import { stepKinds } from '../../src/scenarios/scenario-schema.ts';
import { validateJsonSchema } from './support/json-schema-subset.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const regenerate =
  'apps/carrier/node_modules/.bin/tsx packages/harness/scripts/write-scenario-schema.ts';

describe('scenarioJsonSchema', () => {
  it('matches the schema committed at scenarios/scenario.schema.json', async () => {
    const committed = await readFile(`${repoRoot}${scenarioJsonSchemaPath}`, 'utf8');
    const inSync = JSON.stringify(JSON.parse(committed)) === JSON.stringify(scenarioJsonSchema());
    expect(
      inSync,
      `${scenarioJsonSchemaPath} is out of date with scenario-schema.ts; regenerate it from the repository root with: ${regenerate}`,
    ).toBe(true);
    expect(committed.endsWith('}\n'), 'the committed schema ends with a newline').toBe(true);
  });

  it('renders pretty-printed JSON with a trailing newline', () => {
    const text = renderScenarioJsonSchema();
    expect(text).toMatch(
      /^\{\n {2}"\$schema": "https:\/\/json-schema\.org\/draft\/2020-12\/schema",\n/,
    );
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('has an id, a title and a branch for every step kind, in the same order', () => {
    const schema = scenarioJsonSchema() as {
      $id: string;
      title: string;
      properties: { steps: { items: { anyOf: { required: string[] }[] } } };
    };
    expect(schema.$id).toMatch(/^urn:esimlab:/);
    expect(schema.title).toBe('esimlab scenario');
    const branchKinds = schema.properties.steps.items.anyOf.map((branch) => branch.required);
    expect(branchKinds).toEqual(stepKinds.map((kind) => [kind]));
  });

  it('accepts the example scenario files', async () => {
    for (const name of [
      'att-lost-response.yaml',
      'tmobile-blind-retry.yml',
      'verizon-webhooks.yaml',
    ]) {
      const value: unknown = parse(await readFile(fixture(name), 'utf8'));
      expect(validateJsonSchema(scenarioJsonSchema(), value), name).toEqual([]);
    }
  });

  it('flags an unknown step kind, a misspelt key and a value of the wrong type', () => {
    const base = { name: 'editor check', carrier: 'att' };
    const check = (steps: unknown[]) =>
      validateJsonSchema(scenarioJsonSchema(), { ...base, steps });
    expect(check([{ tenant: { as: 'shop' } }])).toEqual([]);
    expect(check([{ tenants: { as: 'shop' } }])).not.toEqual([]);
    expect(check([{ esim: { as: 'a', pln: 'att-unlimited-starter' } }])).not.toEqual([]);
    expect(check([{ wait: { ms: 'soon' } }])).not.toEqual([]);
    expect(
      validateJsonSchema(scenarioJsonSchema(), { ...base, carrier: 'sprint', steps: [] }),
    ).not.toEqual([]);
  });
});
