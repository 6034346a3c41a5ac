import { createHash } from 'node:crypto';
import { compareText, DAY_MS } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../app/carrier-context.ts';
import { afterCommit } from '../persistence/after-commit.ts';
import { type IdempotencyRecord, idempotencyKeys } from '../persistence/collections.ts';
import { holdNow, isAbandoned } from '../replication/hold.ts';
import { liveReplicas } from '../replication/replica-registry.ts';
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
 *
 * The key is claimed by a transaction before `perform` runs, so among replicas sharing a store
 * the same key sent to several at once runs once: the others' claims conflict and replay.
 */
export function withIdempotency(
  context: CarrierContext,
  request: IdempotentRequest,
  perform: (claim: IdempotencyClaim | undefined) => Promise<IdempotentAnswer>,
): Promise<RouteReply> {
  const { key } = request;
  if (key === undefined) return answerUnkeyed(context, perform(undefined));
  return withAdmittedIdempotency(context, request, async () => ({ key }), perform);
}

/** What `admit` decided: the key the request goes under (undefined: none), and anything else. */
export interface Admission {
  readonly key: string | undefined;
}

/**
 * `withIdempotency` for a request whose key depends on the carrier's state (its API style,
 * say): `admit` runs first, in the transaction that then claims the key, so checking the
 * request and claiming its key cost one transaction. It reads, and a refusal it throws is
 * answered, not stored; what it returns is handed to `perform`, so a refusal that should be
 * stored under the key is returned and thrown by `perform`.
 */
export async function withAdmittedIdempotency<A extends Admission>(
  context: CarrierContext,
  request: Omit<IdempotentRequest, 'key'>,
  admit: (tx: StoreTx) => Promise<A>,
  perform: (claim: IdempotencyClaim | undefined, admitted: A) => Promise<IdempotentAnswer>,
): Promise<RouteReply> {
  // Taken once a key is claimed, and kept if the transaction runs again: an unkeyed request or
  // a replay leaves the carrier's seeded ids as they were.
  let newClaim: string | undefined;
  const admission = await context.store.transaction(async (tx) => {
    const admitted = await admit(tx);
    if (admitted.key === undefined) return { admitted };
    const key = admitted.key;
    const id = `${request.tenantId} ${request.method.toUpperCase()} ${request.path} ${key}`;
    const fingerprint = fingerprintOf(request.body);
    const now = context.clock.now();
    const existing = await tx.get(idempotencyKeys, id);
    if (existing && existing.expiresAt > now) return { admitted, fingerprint, existing };
    if (existing) await tx.delete(idempotencyKeys, id);
    newClaim ??= context.ids.next('ikc');
    const claim = newClaim;
    const record: IdempotencyRecord = {
      id,
      tenantId: request.tenantId,
      key,
      fingerprint,
      state: 'in_progress',
      createdAt: now,
      expiresAt: now + IDEMPOTENCY_KEY_TTL_MS,
      holder: { ...holdNow(context), claim },
    };
    await tx.insert(idempotencyKeys, record);
    return { admitted, claimed: { id, key, claim } };
  });

  const { admitted } = admission;
  if (admission.existing) return replay(admission.existing, admission.fingerprint);
  if (admission.claimed === undefined) {
    return answerUnkeyed(context, perform(undefined, admitted));
  }
  const { id, key, claim } = admission.claimed;

  // The answer the work stored itself, with its last write (`complete`), once that committed.
  let completed: RouteReply | undefined;
  let answer: IdempotentAnswer;
  try {
    answer = await perform(
      {
        attach: (tx, resource) => attachResource(tx, id, claim, resource),
        async complete(tx, resource) {
          const reply = await resourceReply(tx, context, resource);
          if (!(await completeClaimedKey(tx, id, claim, reply))) return;
          afterCommit(tx, () => {
            completed = reply;
          });
        },
      },
      admitted,
    );
  } catch (error) {
    // Recovery gave this request's key away (its replica looked dead): nothing was bought here.
    if (error instanceof ClaimLostError) throw keyInUse(key);
    if (!(error instanceof ProblemError) || error.status >= 500 || isRetryable(error)) {
      // Nothing final to replay (a bug, a conflict, or a failure the client is told to retry,
      // such as `processing_error` with Retry-After): release the key so the retry runs again.
      await releaseKey(context, id, claim, error).catch((releaseError: unknown) =>
        context.logger.warn({ err: releaseError, key }, 'could not release an idempotency key'),
      );
      throw error;
    }
    answer = { status: error.status, body: error.toBody(), headers: { ...error.headers } };
  }
  // Once stored, the key's answer is final: it is what every retry will replay.
  if (completed !== undefined) return completed;
  return context.store.transaction(async (tx) => {
    const reply = 'resource' in answer ? await resourceReply(tx, context, answer.resource) : answer;
    await completeClaimedKey(tx, id, claim, reply);
    return reply;
  });
}

/** Stores `reply` as the key's answer if the key is still this claim's; says whether it did. */
async function completeClaimedKey(
  tx: StoreTx,
  id: string,
  claim: string,
  reply: RouteReply,
): Promise<boolean> {
  const record = await tx.get(idempotencyKeys, id);
  if (record?.holder?.claim !== claim) return false;
  await completeKey(tx, record, reply);
  return true;
}

/** The reply to work done under no key: as given, or read from the resource it made. */
async function answerUnkeyed(
  context: CarrierContext,
  answered: Promise<IdempotentAnswer>,
): Promise<RouteReply> {
  const answer = await answered;
  if (!('resource' in answer)) return answer;
  return context.store.transaction((tx) => resourceReply(tx, context, answer.resource));
}

/**
 * What the work under a key answers with: its reply, or the resource it made, whose reply (its
 * kind's `ResourceReplier`) is then read in the transaction that stores it, so the work need
 * not read the resource back itself.
 */
export type IdempotentAnswer = RouteReply | { readonly resource: IdempotentResource };

/** The reply for a resource, as its kind's replier reads it now. */
async function resourceReply(
  tx: StoreTx,
  context: CarrierContext,
  resource: IdempotentResource,
): Promise<RouteReply> {
  const reply = await replyOf(tx, context, resource);
  if (!reply) throw new Error(`${resource.kind} ${resource.id} has no reply to give`);
  return reply;
}

/**
 * The resource's reply, or undefined if there is none to give: no replier for its kind, or
 * none from it (the resource gone, or its answer not final).
 */
async function replyOf(
  tx: StoreTx,
  context: CarrierContext,
  resource: IdempotentResource,
): Promise<RouteReply | undefined> {
  return repliers.get(resource.kind)?.(tx, context, resource.id, resource.meta ?? {});
}

/**
 * Forgets a key whose request failed, so its retry runs afresh, unless the request had
 * already created something: a payment may be under way, and a retry must not buy again.
 * That key stays in progress until recovery finishes the payment and stores its reply.
 */
async function releaseKey(
  context: CarrierContext,
  id: string,
  claim: string,
  error: unknown,
): Promise<void> {
  const declined = error instanceof ProblemError && error.status < 500;
  await context.store.transaction(async (tx) => {
    const record = await tx.get(idempotencyKeys, id);
    if (record?.holder?.claim !== claim) return;
    if (record.resource === undefined || declined) await tx.delete(idempotencyKeys, id);
  });
}

/** What the work under a claimed key may write with its own transactions. */
export interface IdempotencyClaim {
  /**
   * Names the resource the work created, in the same transaction, so that a crash before the
   * reply was stored can be answered later from that resource.
   */
  attach(tx: StoreTx, resource: IdempotentResource): Promise<void>;
  /**
   * Stores the resource's reply as the key's answer, in the caller's transaction: the work's
   * last write (a purchase's capture) and its answer then commit together, and the work's
   * answer of that resource needs no transaction of its own. Does nothing if the key is no
   * longer this request's.
   */
  complete(tx: StoreTx, resource: IdempotentResource): Promise<void>;
}

export interface IdempotentResource {
  readonly kind: string;
  readonly id: string;
  /** What the reply needs besides the resource (e.g. the request's base URL). */
  readonly meta?: Readonly<Record<string, string>>;
}

/**
 * Thrown by `attach` when the key is no longer this request's: recovery released it while the
 * request was stalled, and a retry may have claimed it since. Throwing rolls back the
 * transaction that would have bought something, so the purchase happens once.
 */
class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
}

async function attachResource(
  tx: StoreTx,
  id: string,
  claim: string,
  resource: IdempotentResource,
): Promise<void> {
  const record = await tx.get(idempotencyKeys, id);
  if (record?.state !== 'in_progress' || record.holder?.claim !== claim) {
    throw new ClaimLostError(`the idempotency key ${id} was taken over`);
  }
  await tx.update(idempotencyKeys, { ...record, resource });
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

export interface KeyRecoveryOptions {
  /**
   * Ids of resources whose payment is still being finished (read in recovery's transaction):
   * their keys wait, or their reply would show a purchase half done.
   */
  readonly unsettled?: (tx: StoreTx) => Promise<ReadonlySet<string>>;
}

/**
 * Keys still `in_progress` whose request is gone (a crash; among replicas, one presumed dead):
 * a key whose work created a resource is completed with that resource's reply (once its
 * payment is finished); a key whose work created nothing is released, so a retry runs afresh.
 * Returns how many such keys wait for their payment to be finished.
 */
export async function recoverIdempotencyKeys(
  context: CarrierContext,
  options: KeyRecoveryOptions = {},
): Promise<number> {
  return context.store.transaction(async (tx) => {
    const live = await liveReplicas(tx, context);
    const unsettled = options.unsettled ? await options.unsettled(tx) : new Set<string>();
    let waiting = 0;
    for (const record of await tx.find(idempotencyKeys, { state: 'in_progress' })) {
      if (!isAbandoned(context, live, record.holder)) continue;
      if (record.resource && unsettled.has(record.resource.id)) {
        waiting += 1;
        continue;
      }
      const reply = record.resource ? await replyOf(tx, context, record.resource) : undefined;
      if (!reply) {
        await tx.delete(idempotencyKeys, record.id);
        continue;
      }
      await completeKey(tx, record, reply);
    }
    return waiting;
  });
}

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

const keyInUse = (key: string): ProblemError =>
  new ProblemError(
    409,
    'idempotency_key_in_use',
    `a request with Idempotency-Key "${key}" is still being processed; retry after it finishes`,
    { headers: { 'Retry-After': '1' } },
  );

function replay(record: IdempotencyRecord, fingerprint: string): RouteReply {
  if (record.fingerprint !== fingerprint) {
    throw new ProblemError(
      422,
      'idempotency_key_reused',
      `Idempotency-Key "${record.key}" was already used with a different request body; use a new key for a new request`,
    );
  }
  if (record.state === 'in_progress' || !record.response) throw keyInUse(record.key);
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
      .sort(([a], [b]) => compareText(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
