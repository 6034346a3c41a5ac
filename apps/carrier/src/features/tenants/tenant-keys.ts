import { createHash, timingSafeEqual } from 'node:crypto';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { unauthenticated } from '../../http/problem.ts';
import { type Tenant, tenants } from '../../persistence/collections.ts';
import { perStore } from '../../persistence/per-store.ts';

/** The API key of tenant `dev`, the same on every carrier, as the contract says. */
export const DEV_API_KEY = 'sk_test_esimlab';
export const DEV_TENANT_ID = 'dev';

export const hashApiKey = (apiKey: string): string =>
  createHash('sha256').update(apiKey).digest('hex');

/** Creates tenant `dev` if it is missing (at start-up and after a reset). */
export async function ensureDevTenant(tx: StoreTx, at: number): Promise<void> {
  if (await tx.get(tenants, DEV_TENANT_ID)) return;
  await tx.insert(tenants, {
    id: DEV_TENANT_ID,
    name: 'dev',
    apiKeyHash: hashApiKey(DEV_API_KEY),
    createdAt: at,
  });
}

/** Resolves `Authorization: Bearer <key>` to its tenant, or fails with 401 `unauthenticated`. */
export async function authenticate(
  context: CarrierContext,
  authorization: string | undefined,
): Promise<Tenant> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) {
    throw unauthenticated(
      authorization
        ? 'the Authorization header must be "Bearer <api key>"'
        : `send an API key as "Authorization: Bearer <api key>" (the dev key is ${DEV_API_KEY})`,
    );
  }
  const apiKeyHash = hashApiKey(match[1]);
  const known = knownKeysOf(context.store);
  // Tenants are only ever added, and all deleted at once by a reset: a tenant found under a
  // key is remembered until the carrier is reset (by any replica), and only found ones are.
  const resets = context.sharedState.resets;
  const remembered = known.get(apiKeyHash);
  if (remembered !== undefined && remembered.resets === resets) return remembered.tenant;
  const [tenant] = await context.store.transaction((tx) =>
    tx.find(tenants, { apiKeyHash }, { limit: 1 }),
  );
  if (!tenant)
    throw unauthenticated('unknown API key; create one with POST /_sim/tenants or use the dev key');
  // A reset seen meanwhile may have deleted what this read found: it is answered, not kept.
  if (resets === context.sharedState.resets) {
    if (known.size >= MAX_KNOWN_KEYS) known.clear();
    known.set(apiKeyHash, { tenant, resets });
  }
  return tenant;
}

// Each carrier's tenants by API key hash, with the reset count they were read under.
const knownKeysOf = perStore(
  () => new Map<string, { readonly tenant: Tenant; readonly resets: number | undefined }>(),
);
const MAX_KNOWN_KEYS = 10_000;

/** Checks `X-Sim-Admin-Token` when the carrier was started with an admin token. */
export function authorizeControlPlane(context: CarrierContext, token: string | undefined): void {
  const expected = context.adminToken;
  if (expected === undefined) return;
  if (token === undefined) {
    throw unauthenticated(
      'this carrier protects /_sim/* with an admin token: send it as X-Sim-Admin-Token',
    );
  }
  const a = Buffer.from(token);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw unauthenticated(
      'X-Sim-Admin-Token does not match the token the carrier was started with',
    );
  }
}
