// Engine-neutral (see flow/load-runtime.ts): `esimlab load` reads these settings from flags,
// the k6 script from -e variables; both parse them here, so both accept the same values.
import { parseDuration } from './duration.ts';
import { isLoadScenarioName, type LoadScenarioName, loadScenarioNames } from './load-scenarios.ts';

export type SettingParse<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

const MAX_RATE = 100_000;
const MAX_VUS = 10_000;
const MIN_DURATION_MS = 1000;
const MAX_DURATION_MS = 24 * 3_600_000;

/** `label` names the setting in messages: `--rate` for the CLI, `RATE` for k6. */
export function parseScenarioName(text: string, label: string): SettingParse<LoadScenarioName> {
  const name = text.trim();
  return isLoadScenarioName(name)
    ? { ok: true, value: name }
    : {
        ok: false,
        message: `${label} "${text}" is not a load scenario; use one of ${loadScenarioNames.join(', ')}`,
      };
}

export function parseRate(text: string, label: string): SettingParse<number> {
  return positiveInteger(text, label, MAX_RATE, 'top-ups per second, e.g. 20');
}

export function parseVus(text: string, label: string): SettingParse<number> {
  return positiveInteger(text, label, MAX_VUS, 'the most concurrent iterations, e.g. 50');
}

export function parseRunDuration(text: string, label: string): SettingParse<number> {
  const parsed = parseDuration(text);
  if (!parsed.ok) return { ok: false, message: `${label} ${parsed.message}` };
  if (parsed.ms < MIN_DURATION_MS || parsed.ms > MAX_DURATION_MS) {
    return { ok: false, message: `${label} must be from 1s to 24h; got "${text}"` };
  }
  return { ok: true, value: parsed.ms };
}

function positiveInteger(
  text: string,
  label: string,
  max: number,
  meaning: string,
): SettingParse<number> {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || value < 1 || value > max) {
    return {
      ok: false,
      message: `${label} must be a whole number from 1 to ${max} (${meaning}); got "${text}"`,
    };
  }
  return { ok: true, value };
}
