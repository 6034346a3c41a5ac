import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverScenarioFiles, loadSuite } from '../../src/scenarios/discover-scenarios.ts';
import { ScenarioLoadError } from '../../src/scenarios/scenario-file-error.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'esimlab-suite-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, text: string): Promise<string> {
  const full = join(root, path);
  await mkdir(join(full, '..'), { recursive: true });
  await writeFile(full, text);
  return full;
}

const scenario = (name: string) => `name: ${name}
carrier: att
steps:
  - wait: {ms: 10}
`;

describe('discoverScenarioFiles', () => {
  it('finds .yaml and .yml files in folders recursively, sorted, skipping dotfiles and the schema', async () => {
    await put('verizon/async.yaml', scenario('verizon async'));
    await put('att/topup.yml', scenario('att topup'));
    await put('att/deep/more/renewal.YAML', scenario('att renewal'));
    await put('att/notes.md', '# not a scenario');
    await put('att/.draft.yaml', scenario('draft'));
    await put('.cache/old.yaml', scenario('cached'));
    await put('scenario.schema.json', '{}');

    const files = await discoverScenarioFiles([root]);

    expect(files).toEqual([
      join(root, 'att/deep/more/renewal.YAML'),
      join(root, 'att/topup.yml'),
      join(root, 'verizon/async.yaml'),
    ]);
  });

  it('lists a file once when it is given both directly and through its folder', async () => {
    const file = await put('att/topup.yaml', scenario('att topup'));
    expect(
      await discoverScenarioFiles([file, join(root, 'att'), `${root}/att/../att/topup.yaml`]),
    ).toEqual([file]);
  });

  it('skips the schema file when a shell glob passes it along', async () => {
    const file = await put('topup.yaml', scenario('att topup'));
    const schema = await put('scenario.schema.json', '{}');
    expect(await discoverScenarioFiles([schema, file])).toEqual([file]);
  });

  it('names every path that does not exist, and every explicit file that is not a scenario', async () => {
    const notes = await put('notes.md', '# notes');
    const missing = join(root, 'nope');
    const error = (await discoverScenarioFiles([missing, notes]).catch(
      (e: unknown) => e,
    )) as ScenarioLoadError;
    expect(error).toBeInstanceOf(ScenarioLoadError);
    expect(error.errors.map((e) => [e.code, e.file])).toEqual([
      ['path_not_found', missing],
      ['not_a_scenario_file', notes],
    ]);
    expect(error.errors[0]?.message).toBe(
      `${missing}: no such file or folder; pass scenario files (.yaml, .yml) or folders that hold them, relative to the current directory`,
    );
  });
});

describe('loadSuite', () => {
  it('loads the valid files and returns the problems of the others, in file order', async () => {
    await put('a-good.yaml', scenario('good one'));
    const bad = await put('b-bad.yaml', 'name: broken\ncarrier: att\nsteps:\n  - wiat: {ms: 5}\n');
    const alsoBad = await put('c-bad.yaml', 'name: [unclosed\n');

    const suite = await loadSuite([root, join(root, 'missing')]);

    expect(suite.scenarios.map((s) => s.scenario.name)).toEqual(['good one']);
    expect(suite.errors.map((e) => [e.file, e.line, e.code])).toEqual([
      [bad, 4, 'unknown_step_kind'],
      [alsoBad, 2, 'yaml_syntax'],
      [join(root, 'missing'), undefined, 'path_not_found'],
    ]);
  });

  it('reports a scenario name used by two files, naming both', async () => {
    const first = await put('att/one.yaml', scenario('same name'));
    const second = await put('att/two.yaml', `# copied\n${scenario('same name')}`);

    const suite = await loadSuite([root]);

    expect(suite.scenarios.map((s) => s.file)).toEqual([first]);
    expect(suite.errors.map((e) => e.message)).toEqual([
      `${second}:2:1: name: "same name" is also the name of ${first}:1; scenario names are unique in a suite — rename one of them`,
    ]);
  });
});
