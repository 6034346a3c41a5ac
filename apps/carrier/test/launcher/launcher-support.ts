import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEV_KEY } from '../support/test-carrier.ts';

export { DEV_KEY, json } from '../support/test-carrier.ts';

/** A fresh data directory, removed by `remove()`. */
export function tempDataDir(): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'esimlab-launcher-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Collects what `startCarriers` reports through `onLog`, as `[source] line`. */
export function logCollector() {
  const lines: string[] = [];
  return {
    lines,
    onLog: (source: string, line: string) => {
      lines.push(`[${source}] ${line}`);
    },
    text: () => lines.join('\n'),
  };
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** GET `<url>/healthz`, or undefined when nothing answers. */
export async function health(url: string): Promise<unknown> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    return await res.json();
  } catch {
    return undefined;
  }
}

/** fetch with the dev API key and an optional JSON body. */
export function api(url: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('authorization', `Bearer ${DEV_KEY}`);
  if (json !== undefined) headers.set('content-type', 'application/json');
  return fetch(url, {
    ...rest,
    headers,
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
}

export const subscriber = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  timeZone: 'America/New_York',
};
