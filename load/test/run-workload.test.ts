import { afterEach, describe, expect, it } from 'vitest';
import { type ExecutorConfig, MetricRegistry, runWorkload } from '../src/index.ts';
import { jsonAnswer, startTestServer, type TestServer } from './support/http-server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const get = (url: string) => ({
  method: 'GET' as const,
  url,
  headers: {},
  timeoutMs: 5000,
  name: 'get',
});

const constantRate = (rate: number, duration: string, maxVUs: number, gracefulStop = '5s') =>
  ({
    executor: 'constant-arrival-rate',
    rate,
    timeUnit: '1s',
    duration,
    preAllocatedVUs: 1,
    maxVUs,
    gracefulStop,
  }) satisfies ExecutorConfig;

describe('runWorkload', () => {
  it('starts rate × duration iterations, on schedule, whatever the latency', async () => {
    server = await startTestServer(jsonAnswer(200, 30));
    const { url } = server;
    const result = await runWorkload({
      scenario: 'steady',
      executor: constantRate(50, '2s', 20),
      async iterate(_data, { runtime }) {
        await runtime.request(get(url));
      },
    });
    expect(result.iterations).toMatchObject({
      started: 100,
      completed: 100,
      dropped: 0,
      failed: 0,
    });
    expect(server.arrivals).toHaveLength(100);
    // 100 arrivals 20 ms apart: the last one about 1.98 s after the first.
    const span = (server.arrivals.at(-1) ?? 0) - (server.arrivals[0] ?? 0);
    expect(span).toBeGreaterThan(1800);
    expect(span).toBeLessThan(2300);
    expect(result.summary.metrics.http_reqs?.values.count).toBe(100);
    expect(result.summary.metrics.iterations?.values.count).toBe(100);
    expect(result.latency.p50Ms).toBeGreaterThanOrEqual(30);
    expect(result.passed).toBe(true);
  });

  it('drops the iterations no VU is free for, as k6 counts dropped_iterations', async () => {
    server = await startTestServer(jsonAnswer(200, 400));
    const { url } = server;
    const result = await runWorkload({
      scenario: 'saturated',
      executor: constantRate(20, '1s', 2),
      async iterate(_data, { runtime }) {
        await runtime.request(get(url));
      },
    });
    // Two VUs each busy 400 ms: at most 2 × ⌈1000 / 400⌉ of the 20 iterations can start.
    expect(result.iterations.started).toBeLessThanOrEqual(6);
    expect(result.iterations.started + result.iterations.dropped).toBe(20);
    expect(result.summary.metrics.dropped_iterations?.values.count).toBe(result.iterations.dropped);
    expect(result.summary.metrics.vus_max?.values.max).toBe(2);
  });

  it('interrupts what still runs at the end of the graceful stop, then runs teardown', async () => {
    server = await startTestServer(() => undefined); // never answers
    const { url } = server;
    let tornDown = false;
    const started = performance.now();
    const result = await runWorkload({
      scenario: 'hanging',
      executor: constantRate(10, '1s', 20, '300ms'),
      async iterate(_data, { runtime }) {
        await runtime.request(get(url));
      },
      async teardown() {
        tornDown = true;
      },
    });
    expect(result.iterations).toMatchObject({ started: 10, interrupted: 10, completed: 0 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(tornDown).toBe(true);
  });

  it('fails the run when an enforced threshold is crossed, and only then', async () => {
    server = await startTestServer(jsonAnswer(500));
    const { url } = server;
    const run = (enforced: boolean) =>
      runWorkload({
        scenario: 'errors',
        executor: constantRate(20, '1s', 5),
        thresholds: [{ metric: 'http_req_failed', expression: 'rate<0.01', enforced }],
        async iterate(_data, { runtime }) {
          await runtime.request(get(url));
        },
      });
    const enforced = await run(true);
    expect(enforced.thresholds).toEqual([
      { metric: 'http_req_failed', expression: 'rate<0.01', enforced: true, ok: false, actual: 1 },
    ]);
    expect(enforced.passed).toBe(false);
    const reported = await run(false);
    expect(reported.thresholds[0]).toMatchObject({ ok: false, enforced: false });
    expect(reported.passed).toBe(true);
  });

  it('ramps the arrival rate through its stages', async () => {
    server = await startTestServer(jsonAnswer());
    const { url } = server;
    const result = await runWorkload({
      scenario: 'ramp',
      executor: {
        executor: 'ramping-arrival-rate',
        startRate: 0,
        timeUnit: '1s',
        stages: [
          { duration: '1s', target: 40 },
          { duration: '1s', target: 0 },
        ],
        preAllocatedVUs: 2,
        maxVUs: 10,
        gracefulStop: '1s',
      },
      async iterate(_data, { runtime }) {
        await runtime.request(get(url));
      },
    });
    // A triangle of 40/s over 2 s: 40 iterations, bunched in the middle.
    expect(result.iterations.completed).toBe(40);
    const middle = server.arrivals.filter((t) => {
      const first = server?.arrivals[0] ?? 0;
      return t - first > 500 && t - first < 1500;
    });
    expect(middle.length).toBeGreaterThan(25);
  });

  it('keeps constant VUs busy back to back, and records custom metrics', async () => {
    server = await startTestServer(jsonAnswer());
    const { url } = server;
    const metrics = new MetricRegistry();
    const seen = metrics.counter('answers_seen');
    const result = await runWorkload(
      {
        scenario: 'closed',
        executor: { executor: 'constant-vus', vus: 3, duration: '500ms', gracefulStop: '1s' },
        thresholds: [{ metric: 'answers_seen', expression: 'count>10' }],
        async iterate(_data, { runtime }) {
          const answer = await runtime.request(get(url));
          if (answer.type === 'response' && answer.body === '{"ok":true}') seen.add(1);
        },
      },
      { metrics },
    );
    expect(result.iterations.completed).toBeGreaterThan(10);
    expect(seen.count).toBe(result.iterations.completed);
    expect(result.passed).toBe(true);
    expect(result.requestsPerSecond).toBeGreaterThan(20);
  });

  it('stops early when asked, like Ctrl-C in k6', async () => {
    server = await startTestServer(jsonAnswer(200, 50));
    const { url } = server;
    const stop = new AbortController();
    setTimeout(() => stop.abort('SIGINT'), 300);
    const started = performance.now();
    const result = await runWorkload(
      {
        scenario: 'stopped',
        executor: constantRate(20, '10s', 5),
        async iterate(_data, { runtime }) {
          await runtime.request(get(url));
        },
      },
      { stopSignal: stop.signal },
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.iterations.started).toBeLessThan(20);
    expect(result.passed).toBe(false);
    expect(result.summary.state.problems).toEqual([
      expect.stringMatching(
        /^stopped early, after [\d.]+ms of the 10s planned; \d+ iterations? interrupted$/,
      ),
    ]);
  });

  it('cuts the graceful stop short when asked to stop during it', async () => {
    // Answers take 4 s; the schedule ends after 300 ms and the stop comes 400 ms later.
    server = await startTestServer(jsonAnswer(200, 4000));
    const { url } = server;
    const stop = new AbortController();
    setTimeout(() => stop.abort('SIGINT'), 700);
    const result = await runWorkload(
      {
        scenario: 'grace',
        executor: constantRate(10, '300ms', 5, '30s'),
        async iterate(_data, { runtime }) {
          await runtime.request(get(url));
        },
      },
      { stopSignal: stop.signal },
    );
    expect(result.iterations.started).toBe(3);
    expect(result.iterations.interrupted).toBe(3);
    expect(result.stoppedEarly).toBe(true);
    expect(result.stoppedAtMs).toBeGreaterThanOrEqual(300);
    expect(result.summary.state.problems).toEqual([
      'stopped during the graceful stop, after the 300ms planned; 3 iterations interrupted',
    ]);
  });

  it('reports a reset before the answer as ambiguous, and one after the headers with its status', async () => {
    let requests = 0;
    server = await startTestServer((req, res) => {
      requests += 1;
      if (requests === 1) {
        req.socket.destroy();
        return;
      }
      // The carrier committed and said so, then the body was cut: a lost answer after a 2xx.
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":"tu_');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const { url } = server;
    const answers: unknown[] = [];
    await runWorkload({
      scenario: 'cut',
      executor: constantRate(2, '1s', 1),
      async iterate(_data, { runtime }) {
        answers.push(await runtime.request(get(url)));
      },
    });
    expect(answers).toEqual([
      { type: 'network-error', kind: 'reset', message: expect.any(String) },
      { type: 'network-error', kind: 'reset', message: expect.any(String), status: 201 },
    ]);
  });

  it('reports a network failure as an answer, telling a refused connection apart', async () => {
    server = await startTestServer(jsonAnswer());
    const { url } = server;
    await server.close();
    server = undefined;
    const kinds: string[] = [];
    await runWorkload({
      scenario: 'refused',
      executor: constantRate(5, '1s', 1),
      async iterate(_data, { runtime }) {
        const answer = await runtime.request(get(url));
        kinds.push(answer.type === 'network-error' ? answer.kind : `status ${answer.status}`);
      },
    });
    expect(kinds).toEqual(['refused', 'refused', 'refused', 'refused', 'refused']);
  });
});
