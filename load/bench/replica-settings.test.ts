import { describe, expect, it } from 'vitest';
import { DEFAULT_POSTGRES_URL, parseReplicaBenchSettings } from './replica-settings.ts';

const parse = (argv: string[], env: Record<string, string> = {}) =>
  parseReplicaBenchSettings(argv, env, '/tmp/reports');
const message = (argv: string[], env: Record<string, string> = {}) => {
  const parsed = parse(argv, env);
  return parsed.ok === false ? parsed.message : `parsed: ${JSON.stringify(parsed)}`;
};

describe('parseReplicaBenchSettings', () => {
  it('runs SQLite then 1, 2 and 3 replicas on the local test server by default', () => {
    const parsed = parse([]);
    expect(parsed.ok === true && parsed.settings).toMatchObject({
      durationMs: 12_000,
      connections: 50,
      postgresUrl: DEFAULT_POSTGRES_URL,
      replicaCounts: [1, 2, 3],
      ratePerReplica: 35,
      reportsDir: '/tmp/reports',
    });
  });

  it('takes the fixed-rate phase’s top-ups/s per replica, spaced or with =', () => {
    expect(parse(['--rate-per-replica', '20'])).toMatchObject({ settings: { ratePerReplica: 20 } });
    expect(parse(['--', '--rate-per-replica=1000'])).toMatchObject({
      settings: { ratePerReplica: 1000 },
    });
  });

  it('refuses a rate per replica that is not a whole number from 1 to 1000', () => {
    for (const bad of ['0', '35.5', '-5', 'fast', '1001', '']) {
      expect(message(['--rate-per-replica', bad])).toBe(
        `--rate-per-replica takes a whole number from 1 to 1000 (top-ups/s); got ${JSON.stringify(bad)}`,
      );
    }
    expect(message(['--rate-per-replica'])).toBe(
      '--rate-per-replica needs a whole number from 1 to 1000 (top-ups/s)',
    );
  });

  it('takes the server from ESIMLAB_TEST_POSTGRES_URL, and --postgres over it', () => {
    const env = { ESIMLAB_TEST_POSTGRES_URL: 'postgres://ci@db:5433/bench' };
    expect(parse([], env)).toMatchObject({
      settings: { postgresUrl: env.ESIMLAB_TEST_POSTGRES_URL },
    });
    expect(parse(['--postgres', 'postgresql://me@10.0.0.2/x'], env)).toMatchObject({
      settings: { postgresUrl: 'postgresql://me@10.0.0.2/x' },
    });
  });

  it('reads the duration as k6 writes it, and the flags after pnpm’s -- or with =', () => {
    expect(parse(['--', '--duration', '8s', '--connections=20'])).toMatchObject({
      settings: { durationMs: 8000, connections: 20 },
    });
    expect(parse(['--duration=1m30s'])).toMatchObject({ settings: { durationMs: 90_000 } });
  });

  it('refuses a duration without a unit or out of range, saying what to write', () => {
    expect(message(['--duration', '8'])).toBe(
      '--duration: "8" has no unit; write 8s for seconds (units: ms, s, m, h)',
    );
    expect(message(['--duration', '1s'])).toContain('--duration takes 2s to 10m');
  });

  it('refuses a connection count that is not a whole number from 1 to 1000', () => {
    for (const bad of ['0', '2.5', 'ten', '1001']) {
      expect(message(['--connections', bad])).toContain('--connections takes a whole number');
    }
    expect(message(['--connections'])).toBe('--connections needs a whole number from 1 to 1000');
  });

  it('refuses a server URL that is not PostgreSQL’s, naming where it came from', () => {
    expect(message(['--postgres', 'mysql://db/x'])).toContain(
      '--postgres: the URL must start with postgres://',
    );
    expect(message(['--postgres', 'postgres://db'])).toContain('names no database');
    expect(message(['--postgres', '127.0.0.1:5432'])).toContain('--postgres:');
    expect(message([], { ESIMLAB_TEST_POSTGRES_URL: 'db:5432' })).toMatch(
      /^ESIMLAB_TEST_POSTGRES_URL: .*; or pass --postgres URL$/,
    );
  });

  it('refuses an unknown option rather than ignore it', () => {
    expect(message(['--replicas', '4'])).toBe('unknown option --replicas; see --help');
    expect(parse(['--help']).ok).toBe('help');
  });
});
