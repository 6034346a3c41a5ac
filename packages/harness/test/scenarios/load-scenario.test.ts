import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario } from '../../src/scenarios/load-scenario.ts';
import {
  type ScenarioFileError,
  ScenarioLoadError,
} from '../../src/scenarios/scenario-file-error.ts';
import { stepKinds } from '../../src/scenarios/scenario-schema.ts';

const file = 'scenarios/att/topup.yaml';

/** The problems of a scenario text, or a failed test if it parsed. */
function problems(text: string): readonly ScenarioFileError[] {
  const result = parseScenario(text, file);
  if (result.ok) throw new Error('expected the scenario to be rejected, but it parsed');
  return result.error;
}

function onlyProblem(text: string): ScenarioFileError {
  const all = problems(text);
  expect(all.map((e) => e.message)).toHaveLength(1);
  return all[0] as ScenarioFileError;
}

const header = `# yaml-language-server: $schema=../../scenario.schema.json
name: att top-up
carrier: att
steps:
  - esim:
      as: alice
      plan: att-unlimited-starter
  - device:
      as: phone
      at: {lat: 40.7, lon: -74}
  - activate: {esim: alice, device: phone}
`;

describe('parseScenario', () => {
  it('accepts a valid scenario, applies defaults and records the line of each step', () => {
    const result = parseScenario(
      `${header}  - topup:
      as: t1
      esim: alice
      plan: att-boost-5gb
`,
      file,
    );
    if (!result.ok) throw new Error(result.error.map((e) => e.message).join('\n'));
    const { scenario, stepLines, nameLine } = result.value;
    expect(result.value.file).toBe(file);
    expect(scenario.name).toBe('att top-up');
    expect(scenario.timeoutMs).toBe(60_000);
    expect(scenario.checker).toBe('clean');
    expect(scenario.steps[0]).toEqual({
      esim: { as: 'alice', plan: 'att-unlimited-starter', paymentMethod: 'pm_card_visa' },
    });
    expect(scenario.steps[3]).toMatchObject({ topup: { as: 't1', concurrent: 1 } });
    expect(stepLines).toEqual([5, 8, 11, 12]);
    expect(nameLine).toBe(2);
  });

  it('accepts each example scenario', async () => {
    for (const name of [
      'att-lost-response.yaml',
      'tmobile-blind-retry.yml',
      'verizon-webhooks.yaml',
    ]) {
      const text = await readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
      const result = parseScenario(text, name);
      expect(result.ok ? [] : result.error.map((e) => e.message), name).toEqual([]);
    }
  });

  it('reports a YAML syntax error at its line and column with a hint', () => {
    const error = onlyProblem('name: tabs\ncarrier: att\nsteps:\n\t- wait: {ms: 5}\n');
    expect(error.code).toBe('yaml_syntax');
    expect([error.line, error.column]).toEqual([4, 1]);
    expect(error.message).toBe(
      `${file}:4:1: invalid YAML: Tabs are not allowed as indentation — indent with spaces; YAML does not allow tabs`,
    );
  });

  it('reports a key written twice in one mapping as a YAML error on the second one', () => {
    const error = onlyProblem('name: twice\ncarrier: att\ncarrier: tmobile\nsteps: []\n');
    expect(error.code).toBe('yaml_syntax');
    expect([error.line, error.column]).toEqual([3, 1]);
    expect(error.detail).toContain('keep one');
  });

  it('names an unknown step kind at its key and suggests the kind meant', () => {
    const error = onlyProblem(`${header}  - topups: {as: t1, esim: alice, plan: att-boost-5gb}\n`);
    expect(error.code).toBe('unknown_step_kind');
    expect([error.line, error.column]).toEqual([12, 5]);
    expect(error.field).toBe('steps[3]');
    expect(error.detail).toBe(
      `a step has exactly one key naming its kind (${stepKinds.join(', ')}); got "topups" — did you mean "topup"?`,
    );
  });

  it('points an unknown key at its line and column and suggests the key meant', () => {
    const all = problems(`${header}  - topup:
      as: t1
      pln: att-boost-5gb
      esim: alice
`);
    const unknown = all.find((e) => e.code === 'unknown_key');
    expect(unknown?.message).toMatch(
      /^scenarios\/att\/topup\.yaml:14:7: steps\[3\]\.topup: unknown key "pln"; did you mean "plan"\? The keys of a topup step are: as, esim, plan, /,
    );
    // Without `plan` the step also lacks a required key; that points at the step's kind.
    const missing = all.find((e) => e.code === 'missing_key');
    expect(missing?.message).toBe(
      `${file}:12:5: steps[3].topup: missing required key "plan" (a string); add it`,
    );
  });

  it('reports a missing top-level key at the first key of the file, with its values', () => {
    const error = onlyProblem(header.replace('carrier: att\n', ''));
    expect(error.code).toBe('missing_key');
    expect(error.field).toBeUndefined();
    expect(error.message).toBe(
      `${file}:2:1: missing required key "carrier" (one of att, tmobile, verizon); add it`,
    );
  });

  it('says what type a value should have and what it got', () => {
    const error = onlyProblem(`${header}  - wait: {ms: soon}\n`);
    expect(error.code).toBe('invalid_value');
    expect(error.field).toBe('steps[3].wait.ms');
    expect([error.line, error.column]).toEqual([12, 16]);
    expect(error.detail).toBe('expected a number; got "soon"');
  });

  it('suggests the value meant when an enum value is misspelt', () => {
    const error = onlyProblem(header.replace('carrier: att', 'carrier: atx'));
    expect(error.message).toBe(
      `${file}:3:10: carrier: expected one of att, tmobile, verizon; got "atx" — did you mean "att"?`,
    );
  });

  it('explains a value that fits none of the alternatives by listing them', () => {
    const error = onlyProblem(`${header}checker: dirty\n`);
    expect(error.message).toBe(
      `${file}:12:10: checker: expected "clean", or a mapping with key violations; got "dirty"`,
    );
  });

  it('reports the field inside the alternative that was meant', () => {
    const error = onlyProblem(`${header}checker:\n  violations: [duplicate_charges]\n`);
    expect(error.field).toBe('checker.violations[0]');
    expect(error.line).toBe(13);
    expect(error.detail).toContain('did you mean "duplicate_charge"?');
  });

  it('names the kind of a fault rule that does not exist', () => {
    const error = onlyProblem(`${header}  - faults:
      rules:
        - kind: latancy
          params: {ms: 100}
`);
    expect(error.field).toBe('steps[3].faults.rules[0].kind');
    expect([error.line, error.column]).toEqual([14, 17]);
    expect(error.detail).toMatch(
      /^expected one of latency, error, .*; got "latancy" — did you mean "latency"\?$/,
    );
  });

  it('reports a name that no step defined, listing the names that are', () => {
    const error = onlyProblem(`${header}  - topup: {as: t1, esim: bob, plan: att-boost-5gb}\n`);
    expect(error.code).toBe('undefined_reference');
    expect(error.message).toBe(
      `${file}:12:27: steps[3].topup.esim: "bob" is not defined by an earlier step; eSIMs defined: alice`,
    );
  });

  it('reports a name used before the step that defines it', () => {
    const error = onlyProblem(`name: order matters
carrier: att
steps:
  - qr: {esim: alice}
  - esim: {as: alice, plan: att-unlimited-starter}
`);
    expect(error.code).toBe('undefined_reference');
    expect(error.line).toBe(4);
    expect(error.detail).toBe(
      '"alice" is defined later, by steps[1] (line 5); move that step before this one',
    );
  });

  it('reports a name of the wrong kind of thing', () => {
    const error = onlyProblem(`${header}  - qr: {esim: phone}\n`);
    expect(error.detail).toBe(
      '"phone" is a device (steps[1] (line 8)), but this field names an eSIM; eSIMs defined: alice',
    );
  });

  it('checks the names that expect sections use as keys', () => {
    const error = onlyProblem(`${header}  - expect:
      balance:
        carol: {dataRemainingBytes: 5GB}
`);
    expect(error.field).toBe('steps[3].expect.balance.carol');
    expect([error.line, error.column]).toEqual([14, 9]);
    expect(error.detail).toBe('"carol" is not defined by an earlier step; eSIMs defined: alice');
  });

  it('reports a name given twice with as:', () => {
    const error = onlyProblem(`${header}  - device: {as: alice, at: {lat: 1, lon: 2}}\n`);
    expect(error.code).toBe('duplicate_name');
    expect(error.field).toBe('steps[3].device.as');
    expect(error.detail).toBe(
      '"alice" already names an eSIM defined by steps[0] (line 5); names given with as: are unique in a scenario — choose another',
    );
  });

  it('tells fields left unindented under a step from two steps in one item', () => {
    const unindented = onlyProblem(`${header}  - topup:
    as: t1
    esim: alice
    plan: att-boost-5gb
`);
    expect(unindented.code).toBe('invalid_step');
    expect(unindented.detail).toMatch(
      /got "topup", "as", "esim", "plan" — indent as, esim, plan under topup:$/,
    );
    const twoKinds = onlyProblem(`${header}  - wait: {ms: 5}\n    advance: {by: P1D}\n`);
    expect(twoKinds.detail).toMatch(
      /give each kind its own list item \(- wait: …, - advance: …\)$/,
    );
  });

  it('reports every problem of a file, sorted by line', () => {
    const all = problems(`name: x
carrier: sprint
steps:
  - wiat: {ms: 5}
  - qr: {esim: nobody}
  - 42
colour: blue
`);
    expect(all.map((e) => [e.line, e.code])).toEqual([
      [1, 'invalid_value'],
      [2, 'invalid_value'],
      [4, 'unknown_step_kind'],
      [5, 'undefined_reference'],
      [6, 'not_a_mapping'],
      [7, 'unknown_key'],
    ]);
    expect(all[0]?.detail).toBe('expected at least 3 characters; got "x"');
    expect(all[5]?.detail).toMatch(
      /^unknown key "colour"; remove it, or use one of the keys of a scenario: /,
    );
  });

  it('rejects a file that is not a mapping', () => {
    expect(onlyProblem('').detail).toBe(
      'a scenario file is a mapping with name, carrier, steps and checker; got an empty value',
    );
    expect(onlyProblem('- wait: {ms: 5}\n').code).toBe('not_a_mapping');
  });
});

describe('loadScenarioFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esimlab-load-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a valid file', async () => {
    const path = join(dir, 'ok.yaml');
    await writeFile(path, `${header}  - qr: {esim: alice}\n`);
    const loaded = await loadScenarioFile(path);
    expect(loaded.file).toBe(path);
    expect(loaded.stepLines).toEqual([5, 8, 11, 12]);
  });

  it('throws every problem of an invalid file together', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'name: x\ncarrier: sprint\nsteps: []\n');
    const error = await loadScenarioFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioLoadError);
    const { errors, message } = error as ScenarioLoadError;
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3]);
    expect(message).toBe(
      `3 problems in scenario files:\n${errors.map((e) => `  ${e.message}`).join('\n')}`,
    );
  });

  it('says when the file cannot be read', async () => {
    const path = join(dir, 'missing.yaml');
    const error = (await loadScenarioFile(path).catch((e: unknown) => e)) as ScenarioLoadError;
    expect(error.errors[0]?.code).toBe('file_unreadable');
    expect(error.message).toBe(
      `${path}: cannot read the scenario file (no such file); check the path`,
    );
  });
});
