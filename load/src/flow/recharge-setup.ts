import { isApiStyle } from './api-style.ts';
import { isRecord, jsonBody } from './internal/json-body.ts';
import type { HttpMethod, LoadAnswer, LoadRuntime } from './load-runtime.ts';
import {
  defaultRechargeRetryPolicy,
  type RechargeRetryPolicy,
  type RechargeRun,
} from './recharge-run.ts';

/** The dev tenant's key, which every carrier accepts (PRODUCT.md). */
export const DEV_API_KEY = 'sk_test_esimlab';
export const DEFAULT_SUBSCRIBERS = 20;
/** A test card that always succeeds at once. */
const PAYMENT_METHOD = 'pm_card_visa';
const SETUP_TIMEOUT_MS = 30_000;

/** Faults armed after seeding: a preset by name, or rules as `POST /_sim/faults` takes them. */
export type FaultArming =
  | { readonly preset: string }
  | { readonly rules: readonly Readonly<Record<string, unknown>>[] };

export interface RechargeSetupInput {
  /**
   * The carrier, or every replica of it (they must share one store). Setup and teardown talk
   * to the first; iterations spread across all of them.
   */
  readonly baseUrl: string | readonly string[];
  readonly scenario: string;
  /**
   * Use the subscribers already on the carrier (its first 100 eSIMs) instead of seeding, and
   * arm no faults: for runs that must not reset it, e.g. each of several k6 runners after one
   * seeding step (see load/README.md, "Distributed k6").
   */
  readonly reuseSeeded?: boolean;
  readonly faults?: FaultArming;
  /** Seed of the carrier's fault rolls, to replay which requests fail. */
  readonly faultSeed?: number;
  /** Default: the dev key. */
  readonly apiKey?: string;
  /** Sent as X-Sim-Admin-Token to the control plane. */
  readonly adminToken?: string;
  /** Subscribers to seed, 1..200; default 20. */
  readonly subscribers?: number;
  /** Seed of the subscribers' data; default random. */
  readonly seed?: number;
  /** Default: made from the clock and a random draw. */
  readonly runId?: string;
  readonly retry?: Partial<RechargeRetryPolicy>;
}

export type LoadSetupErrorCode =
  | 'carrier_unreachable'
  | 'not_a_carrier'
  | 'admin_token_rejected'
  | 'api_key_rejected'
  | 'unexpected_answer'
  | 'no_boost_plan'
  | 'not_one_carrier'
  | 'replicas_not_shared'
  | 'nothing_seeded';

/** The carrier could not be prepared for a load run; the message says what to do. */
export class LoadSetupError extends Error {
  readonly code: LoadSetupErrorCode;

  constructor(code: LoadSetupErrorCode, message: string) {
    super(message);
    this.name = 'LoadSetupError';
    this.code = code;
  }
}

/**
 * k6's `setup()` and the driver's first step: checks the carrier answers (every replica, and
 * that they are one carrier), seeds subscribers (which resets the carrier, so the closing
 * audit sees only this run) and checks every replica sees them, reads its API style, picks
 * the cheapest boost add-on, arms the scenario's faults and makes the run id.
 */
export async function setupRecharge(
  runtime: LoadRuntime,
  input: RechargeSetupInput,
): Promise<RechargeRun> {
  const baseUrls = (typeof input.baseUrl === 'string' ? [input.baseUrl] : input.baseUrl).map(
    (url) => url.replace(/\/+$/, ''),
  );
  const [baseUrl] = baseUrls;
  if (baseUrl === undefined) {
    throw new LoadSetupError('carrier_unreachable', 'no carrier URL given; pass at least one');
  }
  const apiKey = input.apiKey ?? DEV_API_KEY;
  const callAt = async (
    at: string,
    method: HttpMethod,
    path: string,
    access: 'control-plane' | 'api-key' | 'public',
    body?: unknown,
  ): Promise<unknown> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (access === 'api-key') headers.authorization = `Bearer ${apiKey}`;
    if (access === 'control-plane' && input.adminToken !== undefined) {
      headers['x-sim-admin-token'] = input.adminToken;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const answer = await runtime.request({
      method,
      url: `${at}${path}`,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      timeoutMs: SETUP_TIMEOUT_MS,
      name: `setup ${method} ${path.split('?')[0]}`,
    });
    return expectOk(answer, method, `${at}${path}`, access);
  };
  const call = (
    method: HttpMethod,
    path: string,
    access: 'control-plane' | 'api-key' | 'public',
    body?: unknown,
  ) => callAt(baseUrl, method, path, access, body);

  const carriers: string[] = [];
  for (const url of baseUrls) carriers.push(await carrierAt(url, callAt));
  const [carrier = ''] = carriers;
  const other = baseUrls.find((_, i) => carriers[i] !== carrier);
  if (other !== undefined) {
    throw new LoadSetupError(
      'not_one_carrier',
      `${baseUrl} is ${carrier} but ${other} is ${carriers[baseUrls.indexOf(other)]}; a load run drives the replicas of one carrier, so give only its URLs`,
    );
  }

  const iccids = input.reuseSeeded
    ? await seededIccids(() => call('GET', '/v1/esims?limit=100', 'api-key'), baseUrl)
    : await seedSubscribers(call, baseUrl, input, runtime);
  // Replicas share one store: the others must see what the first one seeded. Two separate
  // carriers (e.g. two SQLite processes) would turn every purchase on the second into a 404.
  for (const url of baseUrls.slice(1)) {
    await callAt(url, 'GET', `/v1/esims/${encodeURIComponent(iccids[0] ?? '')}`, 'api-key').catch(
      (error: unknown) => {
        throw error instanceof LoadSetupError && error.code === 'unexpected_answer'
          ? new LoadSetupError(
              'replicas_not_shared',
              `${url} does not know the eSIM ${iccids[0]} that ${baseUrl} ${input.reuseSeeded ? 'holds' : 'just seeded'}, so they do not share one store; run replicas with esimlab up --store postgres://… --replicas N, or give one URL`,
            )
          : error;
      },
    );
  }

  const config = await call('GET', '/_sim/config', 'control-plane');
  const apiStyle = isRecord(config) ? config.apiStyle : undefined;
  if (!isApiStyle(apiStyle)) {
    throw new LoadSetupError(
      'unexpected_answer',
      `GET ${baseUrl}/_sim/config has no known apiStyle (got ${JSON.stringify(apiStyle)})`,
    );
  }

  const planId = cheapestBoost(await call('GET', '/v1/plans', 'api-key'));
  if (planId === undefined) {
    throw new LoadSetupError(
      'no_boost_plan',
      `${carrier} sells no boost add-on (GET ${baseUrl}/v1/plans), and only a boost can be bought again and again`,
    );
  }

  let faults = 'none';
  if (input.faults !== undefined && !input.reuseSeeded) {
    const seedField = input.faultSeed === undefined ? {} : { seed: input.faultSeed };
    if ('preset' in input.faults) {
      await call(
        'POST',
        `/_sim/faults/presets/${encodeURIComponent(input.faults.preset)}`,
        'control-plane',
        seedField,
      );
      faults = input.faults.preset;
    } else {
      await call('POST', '/_sim/faults', 'control-plane', {
        rules: input.faults.rules,
        ...seedField,
      });
      faults = `${input.faults.rules.length} custom rule${input.faults.rules.length === 1 ? '' : 's'}`;
    }
  }

  return {
    runId: input.runId ?? makeRunId(runtime),
    scenario: input.scenario,
    baseUrl,
    baseUrls,
    carrier,
    apiStyle,
    apiKey,
    ...(input.adminToken === undefined ? {} : { adminToken: input.adminToken }),
    planId,
    paymentMethod: PAYMENT_METHOD,
    iccids,
    faults,
    retry: { ...defaultRechargeRetryPolicy, ...input.retry },
  };
}

type ControlCall = (
  method: HttpMethod,
  path: string,
  access: 'control-plane' | 'api-key' | 'public',
  body?: unknown,
) => Promise<unknown>;

async function carrierAt(
  url: string,
  callAt: (at: string, ...rest: Parameters<ControlCall>) => Promise<unknown>,
): Promise<string> {
  const health = await callAt(url, 'GET', '/healthz', 'public').catch((error: unknown) => {
    throw error instanceof LoadSetupError && error.code === 'unexpected_answer'
      ? new LoadSetupError(
          'not_a_carrier',
          `${url}/healthz did not answer like an esimlab carrier; check the URL`,
        )
      : error;
  });
  const carrier = isRecord(health) && typeof health.carrier === 'string' ? health.carrier : '';
  if (carrier === '') {
    throw new LoadSetupError(
      'not_a_carrier',
      `${url}/healthz answered without a carrier id, so it is not an esimlab carrier; check the URL`,
    );
  }
  return carrier;
}

/** Seeds the subscribers (resetting the carrier) and returns their eSIMs. */
async function seedSubscribers(
  call: ControlCall,
  baseUrl: string,
  input: RechargeSetupInput,
  runtime: LoadRuntime,
): Promise<string[]> {
  const subscribers = input.subscribers ?? DEFAULT_SUBSCRIBERS;
  const seed = input.seed ?? Math.floor(runtime.random() * 2 ** 32);
  const seeded = await call('POST', '/_sim/seed', 'control-plane', { seed, subscribers });
  const iccids =
    isRecord(seeded) && Array.isArray(seeded.subscribers)
      ? seeded.subscribers.flatMap((s) =>
          isRecord(s) && typeof s.iccid === 'string' ? [s.iccid] : [],
        )
      : [];
  if (iccids.length === 0) {
    throw new LoadSetupError(
      'unexpected_answer',
      `POST ${baseUrl}/_sim/seed returned no subscribers; is ${baseUrl} an esimlab carrier?`,
    );
  }
  return iccids;
}

/** The eSIMs already on the carrier, for a run that must not reseed it. */
async function seededIccids(list: () => Promise<unknown>, baseUrl: string): Promise<string[]> {
  const page = await list();
  const iccids =
    isRecord(page) && Array.isArray(page.data)
      ? page.data.flatMap((e) => (isRecord(e) && typeof e.iccid === 'string' ? [e.iccid] : []))
      : [];
  if (iccids.length === 0) {
    throw new LoadSetupError(
      'nothing_seeded',
      `${baseUrl} has no eSIMs to top up, and this run does not seed (it reuses what is there); seed first: curl -X POST ${baseUrl}/_sim/seed -H 'content-type: application/json' -d '{"seed":1,"subscribers":20}'`,
    );
  }
  return iccids;
}

/** A run id: the start time and a random draw, base 36 (e.g. `mbx3k2q1-7fz0`). */
export function makeRunId(runtime: Pick<LoadRuntime, 'random'>): string {
  const draw = Math.floor(runtime.random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${Date.now().toString(36)}-${draw}`;
}

function expectOk(
  answer: LoadAnswer,
  method: string,
  url: string,
  access: 'control-plane' | 'api-key' | 'public',
): unknown {
  if (answer.type === 'network-error') {
    throw new LoadSetupError(
      'carrier_unreachable',
      `cannot reach ${url} (${answer.kind}: ${answer.message}); is the carrier running? start one with \`pnpm esimlab up\``,
    );
  }
  if ((answer.status === 401 || answer.status === 403) && access === 'control-plane') {
    throw new LoadSetupError(
      'admin_token_rejected',
      `${method} ${url} answered ${answer.status}: the carrier wants an admin token; pass the one it was started with (ESIMLAB_ADMIN_TOKEN)`,
    );
  }
  if (answer.status === 401 && access === 'api-key') {
    throw new LoadSetupError(
      'api_key_rejected',
      `${method} ${url} answered 401: the API key is not known to this carrier; use the dev key ${DEV_API_KEY} or a tenant's key (POST /_sim/tenants)`,
    );
  }
  if (answer.status < 200 || answer.status > 299) {
    throw new LoadSetupError(
      'unexpected_answer',
      `${method} ${url} answered ${answer.status}: ${answer.body.slice(0, 300)}`,
    );
  }
  return jsonBody(answer.body);
}

function cheapestBoost(plans: unknown): string | undefined {
  const list = isRecord(plans) && Array.isArray(plans.data) ? plans.data : [];
  let best: { id: string; amount: number } | undefined;
  for (const plan of list) {
    if (!isRecord(plan) || plan.kind !== 'addon' || plan.addonKind !== 'boost') continue;
    const amount =
      isRecord(plan.price) && typeof plan.price.amount === 'number' ? plan.price.amount : Infinity;
    if (typeof plan.id === 'string' && (best === undefined || amount < best.amount)) {
      best = { id: plan.id, amount };
    }
  }
  return best?.id;
}
