import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, normalize, resolve } from 'node:path';
import { type LoadedScenario, loadScenarioFile } from './load-scenario.ts';
import {
  compareScenarioFileErrors,
  ScenarioFileError,
  ScenarioLoadError,
} from './scenario-file-error.ts';

const scenarioExtensions = new Set(['.yaml', '.yml']);
/** Lives beside the scenarios so their `$schema` comment can reach it; it is not a scenario. */
const schemaFileName = 'scenario.schema.json';

/** A suite as loaded: every valid scenario, and every problem found on the way. */
export interface LoadedSuite {
  readonly scenarios: readonly LoadedScenario[];
  /** Sorted by file, line and column. */
  readonly errors: readonly ScenarioFileError[];
}

/**
 * Expands files and folders into the scenario files they hold: folders recursively, keeping
 * `*.yaml` and `*.yml`, skipping dotfiles, dot-folders and `scenario.schema.json`. The result
 * is sorted and without duplicates; paths keep the form they were given in.
 * @throws ScenarioLoadError naming every path that does not exist or is not a scenario file.
 */
export async function discoverScenarioFiles(paths: readonly string[]): Promise<string[]> {
  const { files, errors } = await discover(paths);
  if (errors.length > 0) throw new ScenarioLoadError(errors);
  return files;
}

/**
 * Discovers and loads every scenario under `paths`, then checks that scenario names are unique
 * across the suite (reports and `--only` select scenarios by name). Problems do not stop the
 * loading: every file is read, and all problems are returned together.
 */
export async function loadSuite(paths: readonly string[]): Promise<LoadedSuite> {
  const { files, errors } = await discover(paths);
  const scenarios: LoadedScenario[] = [];
  for (const file of files) {
    try {
      scenarios.push(await loadScenarioFile(file));
    } catch (error) {
      if (!(error instanceof ScenarioLoadError)) throw error;
      errors.push(...error.errors);
    }
  }
  const firstByName = new Map<string, LoadedScenario>();
  for (const loaded of scenarios) {
    const name = loaded.scenario.name;
    const first = firstByName.get(name);
    if (first === undefined) {
      firstByName.set(name, loaded);
      continue;
    }
    errors.push(
      new ScenarioFileError({
        code: 'duplicate_scenario_name',
        file: loaded.file,
        position: { line: loaded.nameLine, column: 1 },
        field: 'name',
        detail: `"${name}" is also the name of ${first.file}:${first.nameLine}; scenario names are unique in a suite — rename one of them`,
      }),
    );
  }
  const duplicates = new Set(
    errors.filter((e) => e.code === 'duplicate_scenario_name').map((e) => e.file),
  );
  return {
    scenarios: scenarios.filter((s) => !duplicates.has(s.file)),
    errors: errors.sort(compareScenarioFileErrors),
  };
}

async function discover(
  paths: readonly string[],
): Promise<{ files: string[]; errors: ScenarioFileError[] }> {
  const found = new Map<string, string>();
  const errors: ScenarioFileError[] = [];
  const add = (file: string) => {
    const key = resolve(file);
    if (!found.has(key)) found.set(key, normalize(file));
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) {
      errors.push(
        new ScenarioFileError({
          code: 'path_not_found',
          file: path,
          detail:
            'no such file or folder; pass scenario files (.yaml, .yml) or folders that hold them, relative to the current directory',
        }),
      );
    } else if (info.isDirectory()) {
      for (const file of await walk(path)) add(file);
    } else if (isScenarioFile(path)) {
      add(path);
    } else if (basename(path) !== schemaFileName) {
      errors.push(
        new ScenarioFileError({
          code: 'not_a_scenario_file',
          file: path,
          detail: 'not a scenario file; scenario files end in .yaml or .yml',
        }),
      );
    }
  }
  const files = [...found.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, errors };
}

async function walk(dir: string): Promise<string[]> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile() && isScenarioFile(entry.name)) files.push(path);
  }
  return files;
}

function isScenarioFile(path: string): boolean {
  return scenarioExtensions.has(extname(path).toLowerCase());
}
