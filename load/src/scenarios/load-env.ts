// Engine-neutral (see flow/load-runtime.ts).
import type { RechargeSetupInput } from '../flow/recharge-setup.ts';
import { type LoadOptions, loadOptions } from './k6-options.ts';
import { planScenario, type ScenarioPlan, type ScenarioSettings } from './load-scenarios.ts';
import {
  parseRate,
  parseRunDuration,
  parseScenarioName,
  parseVus,
  type SettingParse,
} from './load-settings.ts';
import type { Enforcement } from './recharge-thresholds.ts';

/** What the k6 script reads from `-e NAME=value`, ready to run. */
export interface LoadEnvSettings {
  readonly plan: ScenarioPlan;
  readonly enforcement: Enforcement;
  readonly options: LoadOptions;
  readonly setup: RechargeSetupInput;
  /** Where handleSummary writes load-summary.json and load-junit.xml. */
  readonly outDir: string;
}

/** The environment variables the k6 script reads, for its error messages and the README. */
export const loadEnvNames = [
  'BASE_URL',
  'SCENARIO',
  'RATE',
  'DURATION',
  'VUS',
  'ENFORCE',
  'SUBSCRIBERS',
  'API_KEY',
  'ADMIN_TOKEN',
  'OUT_DIR',
  'REUSE_SEEDED',
] as const;

/**
 * Reads the k6 run's settings from its environment (`__ENV`); throws an Error listing every
 * problem, which k6 prints before it starts.
 */
export function loadSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): LoadEnvSettings {
  const problems: string[] = [];
  const take = <T>(parsed: SettingParse<T> | undefined): T | undefined => {
    if (parsed === undefined) return undefined;
    if (parsed.ok) return parsed.value;
    problems.push(parsed.message);
    return undefined;
  };
  const given = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const optional = <T>(name: string, parse: (text: string, label: string) => SettingParse<T>) => {
    const value = given(name);
    return value === undefined ? undefined : take(parse(value, name));
  };

  // A comma list names the replicas of one carrier: iterations spread across them.
  const baseUrls = given('BASE_URL')
    ?.split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  const [firstUrl] = baseUrls ?? [];
  if (baseUrls === undefined || firstUrl === undefined) {
    problems.push(
      'BASE_URL is required: k6 run load/recharge.ts -e BASE_URL=http://127.0.0.1:4101 (or a comma list of one carrier’s replicas)',
    );
  }
  for (const url of baseUrls ?? []) {
    if (!/^https?:\/\/[^/]+/.test(url)) {
      problems.push(
        `BASE_URL "${url}" must be an http:// or https:// URL, e.g. http://127.0.0.1:4101 or http://127.0.0.1:4101,http://127.0.0.1:4201`,
      );
    }
  }
  const reuse = given('REUSE_SEEDED') ?? 'false';
  if (reuse !== 'true' && reuse !== 'false') {
    problems.push(
      `REUSE_SEEDED "${reuse}" must be true (top up the eSIMs already there, reset nothing) or false (seed first)`,
    );
  }
  const scenario = take(parseScenarioName(given('SCENARIO') ?? 'steady', 'SCENARIO'));
  const rate = optional('RATE', parseRate);
  const durationMs = optional('DURATION', parseRunDuration);
  const vus = optional('VUS', parseVus);
  const subscribers = optional('SUBSCRIBERS', (text, label) => {
    const parsed = parseVus(text, label);
    return parsed.ok && parsed.value > 200
      ? { ok: false, message: `${label} must be from 1 to 200; got "${text}"` }
      : parsed;
  });
  const enforce = given('ENFORCE') ?? 'all';
  if (enforce !== 'all' && enforce !== 'correctness') {
    problems.push(`ENFORCE "${enforce}" must be all (every threshold) or correctness (money only)`);
  }

  if (
    problems.length > 0 ||
    baseUrls === undefined ||
    firstUrl === undefined ||
    scenario === undefined
  ) {
    throw new Error(`cannot start the load run:\n  ${problems.join('\n  ')}`);
  }
  const settings: ScenarioSettings = {
    ...(rate === undefined ? {} : { rate }),
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(vus === undefined ? {} : { vus }),
  };
  const plan = planScenario(scenario, settings);
  const enforcement = enforce as Enforcement;
  const apiKey = given('API_KEY');
  const adminToken = given('ADMIN_TOKEN');
  return {
    plan,
    enforcement,
    options: loadOptions(plan, enforcement, baseUrls.length),
    setup: {
      baseUrl: baseUrls.length === 1 ? firstUrl : baseUrls,
      scenario,
      ...(reuse === 'true' ? { reuseSeeded: true } : {}),
      ...(plan.faults === undefined ? {} : { faults: plan.faults }),
      ...(subscribers === undefined ? {} : { subscribers }),
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(adminToken === undefined ? {} : { adminToken }),
    },
    outDir: (given('OUT_DIR') ?? 'reports').replace(/\/+$/, ''),
  };
}
