import { generateIccid, seededRandom } from '@esimlab/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/features/docs/internal/json-schema-components.ts';
import { exampleOf } from '../../src/features/docs/internal/schema-example.ts';
import { MAX_BODY_BYTES } from '../../src/http/json-body.ts';
import type { AnyRoute } from '../../src/http/route.ts';
import { DEV_KEY, json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

// Routes whose valid body wipes the carrier: they only ever get bodies that must be refused.
const DESTRUCTIVE = new Set(['/_sim/reset', '/_sim/seed']);
const WRITE_METHODS = new Set(['post', 'patch', 'put', 'delete']);

let att: TestCarrier;
let routes: AnyRoute[];
let knownIds: string[];
/** A real resource per path parameter name, so some attempts get past the lookup. */
let knownByName: Record<string, string>;
let examples: Map<string, unknown>;

beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  // Every write route the carrier declares, so routes added later are covered too.
  routes = att.carrier.routes.filter((r) => WRITE_METHODS.has(r.method));
  // Some real state for valid-looking path parameters to hit.
  const device = await json(
    await att.api('/_sim/devices', {
      method: 'POST',
      json: { location: { lat: 47.6062, lon: -122.3321 }, wifi: true },
    }),
  );
  const plans = (await json(await att.api('/v1/plans'))).data;
  const esim = await json(
    await att.api('/v1/esims', {
      method: 'POST',
      json: {
        planId: plans.find((p: { kind: string }) => p.kind === 'base').id,
        paymentMethod: 'pm_card_visa',
        subscriber: { name: 'Sam Lee', email: 'sam@example.com', timeZone: 'America/Los_Angeles' },
        eid: device.eid,
      },
    }),
  );
  knownByName = { eid: device.eid, iccid: esim.iccid };
  knownIds = [
    device.eid,
    esim.iccid,
    plans[0].id,
    '89882119900000000000000000001654',
    generateIccid(seededRandom(3), { issuerId: '410' }),
  ].filter((id): id is string => typeof id === 'string');
  // Well-formed bodies to mutate, from the API description's own examples.
  const document = JSON.parse(await (await fetch(`${att.baseUrl}/openapi.json`)).text());
  examples = new Map(
    routes.map((r) => {
      const schema: JsonSchema | undefined =
        document.paths[r.path][r.method].requestBody?.content['application/json']?.schema;
      return [
        `${r.method} ${r.path}`,
        schema ? exampleOf(schema, document.components.schemas) : {},
      ];
    }),
  );
});
afterAll(() => att.close());

interface Attempt {
  readonly route: AnyRoute;
  readonly params: readonly string[];
  readonly body: string | undefined;
  readonly contentType: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

const headerText = (maxLength: number) =>
  fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength,
  });

const pathParam = (name: string) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(knownByName[name] ?? 'unknown') },
    { weight: 1, arbitrary: fc.constantFrom(...knownIds) },
    { weight: 1, arbitrary: fc.stringMatching(/^89[0-9]{17,30}F?$/) },
    // Dot segments would be resolved away by the URL parser and hit another route.
    {
      weight: 2,
      arbitrary: fc.string({ maxLength: 40 }).filter((s) => s.replaceAll('.', '') !== ''),
    },
  );

const mutate = (example: unknown): fc.Arbitrary<unknown> => {
  if (example === null || typeof example !== 'object' || Array.isArray(example)) {
    return fc.jsonValue({ maxDepth: 2 });
  }
  const keys = Object.keys(example);
  const replaceOne =
    keys.length === 0
      ? fc.constant(example)
      : fc
          .record({ key: fc.constantFrom(...keys), value: fc.jsonValue({ maxDepth: 2 }) })
          .map(({ key, value }) => ({ ...example, [key]: value }));
  const dropOne =
    keys.length === 0
      ? fc.constant(example)
      : fc.constantFrom(...keys).map((key) => {
          const { [key]: _dropped, ...rest } = example as Record<string, unknown>;
          return rest;
        });
  const addUnknown = fc
    .record({
      key: fc.string({ minLength: 1, maxLength: 12 }),
      value: fc.jsonValue({ maxDepth: 1 }),
    })
    .filter(({ key }) => !keys.includes(key))
    .map(({ key, value }) => ({ ...example, [key]: value }));
  return fc.oneof(replaceOne, dropOne, addUnknown);
};

/** Bodies the destructive routes must refuse: not a JSON object, not JSON at all, or too large. */
const refusedBody = fc.oneof(
  fc
    .oneof(
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
      fc.double(),
      fc.string({ maxLength: 30 }),
      fc.constantFrom(true, false, null),
    )
    .map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).filter((s) => !isJson(s)),
  fc.integer({ min: MAX_BODY_BYTES + 1, max: MAX_BODY_BYTES + 4096 }).map(hugeJson),
);

const anyBody = (route: AnyRoute) => {
  const example = examples.get(`${route.method} ${route.path}`);
  return fc.oneof(
    { weight: 3, arbitrary: refusedBody },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    // The example as is: valid for some routes, and sent twice it meets the business rules.
    { weight: 2, arbitrary: fc.constant(JSON.stringify(example)) },
    { weight: 3, arbitrary: mutate(example).map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: fc.tuple(mutate(example), fc.nat()).map(([v, cut]) => {
        const text = JSON.stringify(v) ?? '';
        return text.slice(0, cut % Math.max(1, text.length));
      }),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
};

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/merge-patch+json',
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const headers = fc.record(
  {
    authorization: fc.oneof(
      fc.constant(`Bearer ${DEV_KEY}`),
      headerText(60).map((t) => `Bearer ${t}`),
      headerText(60),
      fc.constantFrom('Bearer', 'Basic c2s6dGVzdA==', `bearer  ${DEV_KEY} extra`),
    ),
    'idempotency-key': fc.oneof(headerText(40), fc.constant('k'.repeat(300))),
    'x-sim-admin-token': headerText(40),
    'x-request-id': headerText(200),
  },
  { requiredKeys: [] },
);

const attempt: fc.Arbitrary<Attempt> = fc.integer({ min: 0, max: 10_000 }).chain((index) => {
  const route = routes[index % routes.length] as AnyRoute;
  const paramNames = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => name);
  const destructive = DESTRUCTIVE.has(route.path);
  return fc.record({
    route: fc.constant(route),
    params: fc.tuple(...paramNames.map(pathParam)),
    body: destructive ? refusedBody : anyBody(route),
    contentType: destructive ? fc.constant('application/json') : contentType,
    headers,
  });
});

// Half the time the same request twice: a retry meets duplicates, conflicts and replays.
const attempts = fc
  .tuple(attempt, fc.boolean())
  .map(([a, twice]): Attempt[] => (twice ? [a, a] : [a]));

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function hugeJson(bytes: number): string {
  return JSON.stringify({ name: 'x'.repeat(bytes) });
}

async function send(a: Attempt): Promise<Response> {
  let i = 0;
  const path = a.route.path.replaceAll(/\{\w+\}/g, () => encodeURIComponent(a.params[i++] ?? ''));
  const requestHeaders = new Headers(a.headers);
  // A byte body lets fetch send no Content-Type at all when the attempt has none.
  const payload = a.body === undefined ? undefined : new TextEncoder().encode(a.body);
  if (payload && a.contentType !== undefined) requestHeaders.set('content-type', a.contentType);
  return fetch(`${att.baseUrl}${path}`, {
    method: a.route.method.toUpperCase(),
    headers: requestHeaders,
    ...(payload ? { body: payload } : {}),
  });
}

/** What a rejected request must leave untouched. */
async function observableState(): Promise<unknown> {
  const read = async (path: string) => {
    const res = await att.api(path);
    return res.ok ? json(res) : res.status;
  };
  const [charges, esims, devices, tenants, config, clock, journal] = await Promise.all(
    [
      '/_sim/gateway/charges',
      '/v1/esims?limit=100',
      '/_sim/devices',
      '/_sim/tenants',
      '/_sim/config',
      '/_sim/clock',
      '/_sim/events?limit=1000',
    ].map(read),
  );
  return {
    charges,
    esims,
    devices,
    tenants,
    config,
    clockOffsetMs: (clock as { offsetMs?: number }).offsetMs,
    events: typeof journal === 'number' ? journal : (journal as { data: unknown[] }).data.length,
  };
}

// Refusals that are state changes by design: SGP.22 counts failed download attempts.
const COUNTED_REFUSALS = new Set([
  'confirmation_code_invalid',
  'too_many_attempts',
  'network_unreachable',
]);

let baseline: unknown;

/** Sends one attempt and checks the answer and, when it is a refusal, that nothing changed. */
async function checkAttempt(a: Attempt): Promise<void> {
  const res = await send(a);
  const text = await res.text();
  const where = `${a.route.method.toUpperCase()} ${a.route.path} → ${res.status} ${text.slice(0, 300)}`;
  const problem = res.status >= 400 ? JSON.parse(text) : undefined;
  // The one 5xx a request can earn is the simulated network: a phone with no signal.
  if (problem?.code !== 'network_unreachable') expect(res.status, where).toBeLessThan(500);
  if (DESTRUCTIVE.has(a.route.path)) expect(res.status, where).toBeGreaterThanOrEqual(400);
  if (res.status < 400 || COUNTED_REFUSALS.has(problem.code)) {
    // A random body was valid after all: that change is legitimate; start from it.
    baseline = await observableState();
    return;
  }
  expect(res.headers.get('content-type'), where).toContain('application/problem+json');
  expect(problem.status, where).toBe(res.status);
  expect(problem.code, where).toMatch(/^[a-z][a-z0-9_]*$/);
  expect(typeof problem.detail, where).toBe('string');
  if (res.status === 413) expect(problem.code, where).toBe('payload_too_large');
  expect(await observableState(), where).toEqual(baseline);
}

describe('malformed input on every write route', () => {
  it('is refused with a 4xx problem+json, never a 5xx, and changes nothing', async () => {
    expect(routes.length).toBeGreaterThan(5);
    baseline = await observableState();
    await fc.assert(
      fc.asyncProperty(attempts, async (sequence) => {
        for (const a of sequence) await checkAttempt(a);
      }),
    );
  });

  it('answers each documented example, in full and bare, sent twice, without a 5xx or a half-done refusal', async () => {
    baseline = await observableState();
    for (const route of routes.filter((r) => !DESTRUCTIVE.has(r.path))) {
      const example = examples.get(`${route.method} ${route.path}`);
      // The example holds the required fields, or every field when none is required.
      const bodies = route.body ? [JSON.stringify(example), '{}'] : [undefined];
      for (const body of bodies) {
        const attempt: Attempt = {
          route,
          params: [...route.path.matchAll(/\{(\w+)\}/g)].map(
            ([, name = '']) => knownByName[name] ?? 'unknown',
          ),
          body,
          contentType: 'application/json',
          headers: { authorization: `Bearer ${DEV_KEY}` },
        };
        await checkAttempt(attempt);
        await checkAttempt(attempt);
      }
    }
  });
});
