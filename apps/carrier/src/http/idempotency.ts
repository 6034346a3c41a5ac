import { createHash } from 'node:crypto';
import { DAY_MS } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../app/carrier-context.ts';
import { onStartup } from '../app/startup-tasks.ts';
import { type IdempotencyRecord, idempotencyKeys } from '../persistence/collections.ts';
import { invalidRequest, ProblemError } from './problem.ts';
import type { RouteReply } from './route.ts';

/** How long a key is remembered, in simulated time (Stripe keeps keys for 24 hours). */
export const IDEMPOTENCY_KEY_TTL_MS = DAY_MS;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export interface IdempotentRequest {
  readonly tenantId: string;
  readonly method: string;
  readonly path: string;
  /** The `Idempotency-Key` header as received (undefined when absent). */
  readonly key: string | undefined;
  /** The parsed JSON body: "the same request" means the same parsed body. */
  readonly body: unknown;
}

/** Validates an `Idempotency-Key` header; throws 400 when it is required and missing. */
export function readIdempotencyKey(raw: string | undefined, required: boolean): string | undefined {
  if (raw === undefined || raw === '') {
    if (!required) return undefined;
    throw new ProblemError(
      400,
      'idempotency_key_required',
      'this request needs an Idempotency-Key header: one unique value (e.g. a UUID) per purchase, reused on every retry',
    );
  }
  if (raw.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw invalidRequest(
      `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      [{ field: 'Idempotency-Key', message: `${raw.length} characters is too long` }],
    );
  }
  return raw;
}

/**
 * Stripe's idempotency semantics, shared by every POST that honours `Idempotency-Key`:
 * - the same key and body replay the stored status and body, with `Idempotent-Replayed: true`;
 * - the same key with another body is 422 `idempotency_key_reused`;
 * - the same key while the first request still runs is 409 `idempotency_key_in_use`.
 * Call it after validation, so rejected requests are never stored. Without a key, `perform` just runs.
 */
export async function withIdempotency(
  context: CarrierContext,
  request: IdempotentRequest,
  perform: (claim: IdempotencyClaim | undefined) => Promise<RouteReply>,
): Promise<RouteReply> {
  if (request.key === undefined) return perform(undefined);
  const id = `${request.tenantId} ${request.method.toUpperCase()} ${request.path} ${request.key}`;
  const fingerprint = fingerprintOf(request.body);

  const claimed = await context.store.transaction(async (tx) => {
    const now = context.clock.now();
    const existing = await tx.get(idempotencyKeys, id);
    if (existing && existing.expiresAt > now) return existing;
    if (existing) await tx.delete(idempotencyKeys, id);
    const record: IdempotencyRecord = {
      id,
      tenantId: request.tenantId,
      key: request.key as string,
      fingerprint,
      state: 'in_progress',
      createdAt: now,
      expiresAt: now + IDEMPOTENCY_KEY_TTL_MS,
    };
    await tx.insert(idempotencyKeys, record);
    return undefined;
  });

  if (claimed) return replay(claimed, fingerprint);

  let reply: RouteReply;
  try {
    reply = await perform({
      attach: (tx, resource) => attachResource(tx, id, resource),
    });
  } catch (error) {
    if (!(error instanceof ProblemError) || error.status >= 500 || isRetryable(error)) {
      // Nothing final to replay (a bug, or a failure the client is told to retry, such as
      // `processing_error` with Retry-After): forget the key so the retry runs again.
      await context.store.transaction((tx) => tx.delete(idempotencyKeys, id));
      throw error;
    }
    reply = { status: error.status, body: error.toBody(), headers: { ...error.headers } };
  }
  await context.store.transaction(async (tx) => {
    const record = await tx.get(idempotencyKeys, id);
    if (record) await completeKey(tx, record, reply);
  });
  return reply;
}

/**
 * Lets the work under a key name the resource it created, in the same transaction, so that a
 * crash before the reply was stored can be answered later from that resource.
 */
export interface IdempotencyClaim {
  attach(tx: StoreTx, resource: IdempotentResource): Promise<void>;
}

export interface IdempotentResource {
  readonly kind: string;
  readonly id: string;
  /** What the reply needs besides the resource (e.g. the request's base URL). */
  readonly meta?: Readonly<Record<string, string>>;
}

async function attachResource(
  tx: StoreTx,
  id: string,
  resource: IdempotentResource,
): Promise<void> {
  const record = await tx.get(idempotencyKeys, id);
  if (record) await tx.update(idempotencyKeys, { ...record, resource });
}

/** Rebuilds the reply for a resource kind (e.g. a top-up's current view), for recovery. */
export type ResourceReplier = (
  tx: StoreTx,
  context: CarrierContext,
  id: string,
  meta: Readonly<Record<string, string>>,
) => Promise<RouteReply | undefined>;

const repliers = new Map<string, ResourceReplier>();

export function registerResourceReplier(kind: string, replier: ResourceReplier): void {
  repliers.set(kind, replier);
}

/**
 * After a crash, keys still `in_progress` belong to requests that died with the process: a
 * key whose work created a resource is completed with that resource's reply (its sagas were
 * finished first); a key whose work created nothing is released, so a retry runs afresh.
 */
export async function recoverIdempotencyKeys(context: CarrierContext): Promise<void> {
  await context.store.transaction(async (tx) => {
    for (const record of await tx.find(idempotencyKeys, { state: 'in_progress' })) {
      const replier = record.resource ? repliers.get(record.resource.kind) : undefined;
      const reply =
        record.resource && replier
          ? await replier(tx, context, record.resource.id, record.resource.meta ?? {})
          : undefined;
      if (!reply) {
        await tx.delete(idempotencyKeys, record.id);
        continue;
      }
      await completeKey(tx, record, reply);
    }
  });
}

onStartup({ name: 'idempotency-recovery', phase: 2, run: recoverIdempotencyKeys });

const isRetryable = (error: ProblemError): boolean => 'Retry-After' in error.headers;

/** Stores the reply a key will replay from now on. */
function completeKey(tx: StoreTx, record: IdempotencyRecord, reply: RouteReply): Promise<void> {
  return tx.update(idempotencyKeys, {
    ...record,
    state: 'completed',
    response: {
      status: reply.status,
      body: reply.body ?? null,
      headers: { ...(reply.headers ?? {}) },
    },
  });
}

function replay(record: IdempotencyRecord, fingerprint: string): RouteReply {
  if (record.fingerprint !== fingerprint) {
    throw new ProblemError(
      422,
      'idempotency_key_reused',
      `Idempotency-Key "${record.key}" was already used with a different request body; use a new key for a new request`,
    );
  }
  if (record.state === 'in_progress' || !record.response) {
    throw new ProblemError(
      409,
      'idempotency_key_in_use',
      `a request with Idempotency-Key "${record.key}" is still being processed; retry after it finishes`,
      { headers: { 'Retry-After': '1' } },
    );
  }
  return {
    status: record.response.status,
    body: record.response.body,
    headers: { ...record.response.headers, 'Idempotent-Replayed': 'true' },
  };
}

/** SHA-256 of the body as canonical JSON (object keys sorted), so key order does not matter. */
export function fingerprintOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
