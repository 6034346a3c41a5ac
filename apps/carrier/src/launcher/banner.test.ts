import { describe, expect, it } from 'vitest';
import { renderBanner } from './banner.ts';
import type { RunningCarriers } from './start-carriers.ts';

const base = {
  dataDir: '/srv/esimlab/.esimlab',
  pids: () => ({ att: 1, tmobile: 2 }),
  replicaPids: () => ({ att: [1], tmobile: [2] }),
  stop: async () => undefined,
  urls: { att: 'http://127.0.0.1:4101', tmobile: 'http://127.0.0.1:4102' },
  replicaUrls: { att: ['http://127.0.0.1:4101'], tmobile: ['http://127.0.0.1:4102'] },
  replicas: 1,
};

describe('renderBanner', () => {
  it('lists each carrier with its SQLite file, the dev key, the docs and a first call', () => {
    const running: RunningCarriers<'att' | 'tmobile'> = {
      ...base,
      store: 'sqlite',
      sqliteFiles: {
        att: '/srv/esimlab/.esimlab/att.sqlite',
        tmobile: '/srv/esimlab/.esimlab/tmobile.sqlite',
      },
    };
    const banner = renderBanner(running, { adminToken: undefined });
    expect(banner).toMatch(
      /att\s+http:\/\/127\.0\.0\.1:4101\s+state: \/srv\/esimlab\/\.esimlab\/att\.sqlite/,
    );
    expect(banner).toMatch(/tmobile\s+http:\/\/127\.0\.0\.1:4102\s+state: .*tmobile\.sqlite/);
    expect(banner).toContain('sk_test_esimlab');
    expect(banner).toContain('http://127.0.0.1:4101/docs');
    expect(banner).toContain(
      "curl -H 'Authorization: Bearer sk_test_esimlab' http://127.0.0.1:4101/v1/plans",
    );
    expect(banner).toContain('no admin token set');
  });

  it('warns that memory state is lost on restart, and names the admin header when set', () => {
    const banner = renderBanner({ ...base, store: 'memory' }, { adminToken: 't0k3n' });
    expect(banner).toMatch(/att\s+http:\/\/127\.0\.0\.1:4101\s+state: in memory: lost on restart/);
    expect(banner).toContain('X-Sim-Admin-Token');
    expect(banner).not.toContain('t0k3n');
  });

  it('lists every replica with its schema, and the database without its password', () => {
    const running: RunningCarriers<'att' | 'tmobile'> = {
      ...base,
      store: { kind: 'postgres', url: 'postgres://esimlab:s3cret@db.internal:5432/lab' },
      replicas: 2,
      replicaUrls: {
        att: ['http://127.0.0.1:4101', 'http://127.0.0.1:4201'],
        tmobile: ['http://127.0.0.1:4102', 'http://127.0.0.1:4202'],
      },
      postgresSchemas: { att: 'esimlab_att', tmobile: 'esimlab_tmobile' },
    };
    const banner = renderBanner(running, { adminToken: undefined });
    expect(banner).toContain('(PostgreSQL at db.internal:5432/lab)');
    expect(banner).not.toContain('s3cret');
    expect(banner).toMatch(/att\/0\s+http:\/\/127\.0\.0\.1:4101\s+state: schema esimlab_att/);
    expect(banner).toMatch(/att\/1\s+http:\/\/127\.0\.0\.1:4201\s+state: schema esimlab_att/);
    expect(banner).toMatch(
      /tmobile\/1\s+http:\/\/127\.0\.0\.1:4202\s+state: schema esimlab_tmobile/,
    );
    expect(banner).toContain('2 per carrier');
  });
});
