import type { FaultRule } from '../../rules/fault-rule.ts';
import { matchesGlob } from '../../rules/path-glob.ts';

/** An HTTP request as rules see it: method, path without its query, and headers. */
export interface FaultRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/**
 * Express routes case-insensitively and ignores a trailing slash, so `/V1/Esims/` reaches the
 * same handler as `/v1/esims`: paths are compared in that normal form, or a rule could be dodged.
 */
export function normalPath(path: string): string {
  const lower = (path.split('?')[0] ?? '').toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

/** Whether `request` meets every condition of `match` (an absent condition always holds). */
export function requestMatches(match: FaultRule['match'], request: FaultRequest): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method !== request.method.toUpperCase()) return false;
  if (match.path !== undefined && !matchesGlob(match.path.toLowerCase(), normalPath(request.path)))
    return false;
  if (match.header !== undefined) {
    const raw = request.headers[match.header.name.toLowerCase()];
    if (raw === undefined) return false;
    const value = typeof raw === 'string' ? raw : raw.join(', ');
    if (match.header.value !== undefined && match.header.value !== value) return false;
  }
  return true;
}
