import { describe, expect, it } from 'vitest';
import { loadSettingsFromEnv } from './load-env.ts';

describe('loadSettingsFromEnv', () => {
  it('reads the k6 -e variables into a plan and setup', () => {
    const settings = loadSettingsFromEnv({
      BASE_URL: 'http://127.0.0.1:4102/',
      SCENARIO: 'flaky',
      RATE: '5',
      DURATION: '20s',
      VUS: '9',
      ENFORCE: 'correctness',
      SUBSCRIBERS: '3',
      ADMIN_TOKEN: 't0k',
      OUT_DIR: 'out/',
    });
    expect(settings.plan.name).toBe('flaky');
    expect(settings.plan.executor).toMatchObject({ rate: 5, duration: '20s', maxVUs: 9 });
    expect(settings.enforcement).toBe('correctness');
    // Budgets stand as watches that always hold; only these three can fail the run.
    const failing = Object.entries(settings.options.thresholds)
      .filter(([, expressions]) => expressions.some((e) => !e.endsWith('>=0')))
      .map(([metric]) => metric);
    expect(failing.sort()).toEqual(['audit_violations', 'duplicate_charges', 'lost_topups']);
    expect(settings.setup).toEqual({
      baseUrl: 'http://127.0.0.1:4102/',
      scenario: 'flaky',
      faults: { preset: 'flaky-mobile' },
      subscribers: 3,
      adminToken: 't0k',
    });
    expect(settings.outDir).toBe('out');
  });

  it('reads a comma list in BASE_URL as the replicas of one carrier, and REUSE_SEEDED', () => {
    const settings = loadSettingsFromEnv({
      BASE_URL: 'http://127.0.0.1:4101, http://127.0.0.1:4201,',
      REUSE_SEEDED: 'true',
    });
    expect(settings.setup).toMatchObject({
      baseUrl: ['http://127.0.0.1:4101', 'http://127.0.0.1:4201'],
      reuseSeeded: true,
    });
    expect(() => loadSettingsFromEnv({ BASE_URL: 'http://a:1,ftp://b' })).toThrowError(
      /BASE_URL "ftp:\/\/b" must be an http:\/\/ or https:\/\/ URL/,
    );
    expect(() => loadSettingsFromEnv({ BASE_URL: 'http://a:1', REUSE_SEEDED: 'yes' })).toThrowError(
      /REUSE_SEEDED "yes" must be true/,
    );
  });

  it('defaults to the steady scenario, every threshold and reports/', () => {
    const settings = loadSettingsFromEnv({ BASE_URL: 'http://127.0.0.1:4101' });
    expect(settings.plan.name).toBe('steady');
    expect(settings.enforcement).toBe('all');
    expect(settings.outDir).toBe('reports');
  });

  it('lists every problem at once, each naming its variable', () => {
    expect(() =>
      loadSettingsFromEnv({ SCENARIO: 'storm', RATE: '0', DURATION: '10', ENFORCE: 'some' }),
    ).toThrowError(
      /BASE_URL is required[\s\S]*SCENARIO "storm" is not a load scenario; use one of steady, spike, flaky, soak[\s\S]*RATE must be a whole number[\s\S]*DURATION "10" has no unit[\s\S]*ENFORCE "some"/,
    );
  });
});
