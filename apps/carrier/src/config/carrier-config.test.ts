import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultPresets } from '@esimlab/faults';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CarrierConfigError,
  carrierUsage,
  checksNestedTransactions,
  isLoopbackHost,
  parseCarrierConfig,
  wantsHelp,
} from './carrier-config.ts';

const cwd = '/srv/esimlab';
const parse = (argv: string[], env: Record<string, string> = {}) =>
  parseCarrierConfig(argv, env, cwd);

function rejection(argv: string[], env: Record<string, string> = {}): CarrierConfigError {
  try {
    parse(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(CarrierConfigError);
    expect((error as CarrierConfigError).exitCode).toBe(2);
    return error as CarrierConfigError;
  }
  throw new Error(`expected ${JSON.stringify({ argv, env })} to be rejected`);
}

describe('parseCarrierConfig', () => {
  it('defaults to the contract: loopback, 4101-4103, sqlite in ./.esimlab, all carriers', () => {
    expect(parse([])).toEqual({
      host: '127.0.0.1',
      ports: { att: 4101, tmobile: 4102, verizon: 4103 },
      replicas: 1,
      carriers: ['att', 'tmobile', 'verizon'],
      dataDir: '/srv/esimlab/.esimlab',
      store: 'sqlite',
      adminToken: undefined,
      logLevel: 'info',
      crashPoints: {},
    });
  });

  it('reads every ESIMLAB_* variable', () => {
    const config = parse([], {
      ESIMLAB_HOST: '0.0.0.0',
      ESIMLAB_ATT_PORT: '5101',
      ESIMLAB_TMOBILE_PORT: '5102',
      ESIMLAB_VERIZON_PORT: '0',
      ESIMLAB_DATA_DIR: '/var/lib/esimlab',
      ESIMLAB_STORE: 'memory',
      ESIMLAB_ADMIN_TOKEN: 's3cret',
      ESIMLAB_LOG_LEVEL: 'debug',
      ESIMLAB_CARRIERS: 'verizon,att',
      ESIMLAB_CRASH_POINTS: 'after-credit,verizon:before-response',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      ports: { att: 5101, tmobile: 5102, verizon: 0 },
      replicas: 1,
      carriers: ['att', 'verizon'],
      dataDir: '/var/lib/esimlab',
      store: 'memory',
      adminToken: 's3cret',
      logLevel: 'debug',
      crashPoints: { att: ['after-credit'], verizon: ['after-credit', 'before-response'] },
    });
  });

  it('lets a flag win over its variable', () => {
    const config = parse(
      [
        '--att-port',
        '6101',
        '--store=sqlite',
        '--data-dir',
        'state',
        '--log-level',
        'warn',
        '--carriers',
        'tmobile',
      ],
      {
        ESIMLAB_ATT_PORT: '5101',
        ESIMLAB_STORE: 'memory',
        ESIMLAB_DATA_DIR: '/elsewhere',
        ESIMLAB_LOG_LEVEL: 'debug',
        ESIMLAB_CARRIERS: 'att',
      },
    );
    expect(config.ports.att).toBe(6101);
    expect(config.store).toBe('sqlite');
    expect(config.dataDir).toBe('/srv/esimlab/state');
    expect(config.logLevel).toBe('warn');
    expect(config.carriers).toEqual(['tmobile']);
  });

  it('treats an empty variable as unset', () => {
    expect(parse([], { ESIMLAB_ATT_PORT: '', ESIMLAB_ADMIN_TOKEN: '' }).ports.att).toBe(4101);
  });

  it.each([
    [['--att-port', 'http'], {}, '--att-port must be a port number from 0 to 65535'],
    [['--tmobile-port', '65536'], {}, '--tmobile-port must be a port number'],
    [['--verizon-port', '41.5'], {}, '--verizon-port must be a port number'],
    [['--att-port=-1'], {}, '--att-port must be a port number'],
    [[], { ESIMLAB_VERIZON_PORT: '99999' }, 'ESIMLAB_VERIZON_PORT must be a port number'],
    [['--store', 'mongo'], {}, '--store must be sqlite'],
    [['--store', 'mysql://db/esimlab'], {}, 'or postgres://user@host:5432/database'],
    [[], { ESIMLAB_STORE: 'redis' }, 'ESIMLAB_STORE must be sqlite'],
    [['--carriers', 'att,sprint'], {}, '--carriers takes a comma-separated list'],
    [['--carriers', ','], {}, '--carriers takes a comma-separated list'],
    [['--log-level', 'loud'], {}, '--log-level must be one of fatal, error, warn, info'],
    [['--host', 'not a host'], {}, '--host must be an IP address or a host name'],
    [['--data-dir='], {}, '--data-dir must name a directory'],
    [['--admin-token', ' '], {}, '--admin-token must be a non-empty token'],
    [['--att-port', '4200', '--tmobile-port', '4200'], {}, '--att-port and --tmobile-port'],
    [
      ['--crash-point', 'after-lunch'],
      {},
      '--crash-point got "after-lunch", which is not a crash point; use after-authorize, after-credit, after-capture, before-response',
    ],
    [
      [],
      { ESIMLAB_CRASH_POINTS: 'after-credit,after-crash' },
      'ESIMLAB_CRASH_POINTS got "after-crash", which is not a crash point; use after-authorize',
    ],
    [['--crash-point', 'sprint:after-credit'], {}, '"sprint" is not a carrier; use att'],
    [
      ['--carriers', 'att', '--crash-point', 'verizon:after-credit'],
      {},
      'but verizon is not started',
    ],
    [['--crash-point', 'att:after-credit:x'], {}, 'not a crash point'],
    [['--crash-point=,'], {}, '--crash-point needs a crash point'],
  ])('rejects %j %j naming the setting', (argv, env, message) => {
    expect(rejection(argv, env).message).toContain(message);
  });

  it('rejects an unknown flag and suggests the near one', () => {
    const error = rejection(['--att-prot', '4101']);
    expect(error.message).toContain('unknown flag --att-prot; did you mean --att-port?');
    expect(rejection(['--sqlite']).message).toContain('unknown flag --sqlite');
  });

  it('rejects a flag without its value and a stray argument', () => {
    expect(rejection(['--att-port']).message).toContain('--att-port needs a value');
    expect(rejection(['att']).message).toContain('unexpected argument "att"');
  });

  it('refuses a non-loopback host without an admin token', () => {
    const error = rejection(['--host', '0.0.0.0']);
    expect(error.message).toContain('binding 0.0.0.0 exposes the control plane');
    expect(error.message).toContain('--admin-token');
    expect(parse(['--host', '0.0.0.0', '--admin-token', 't0k3n']).adminToken).toBe('t0k3n');
    expect(parse(['--host', 'localhost']).host).toBe('localhost');
    expect(parse(['--host', '[::1]']).host).toBe('::1');
  });

  it('allows several carriers on port 0', () => {
    expect(parse(['--att-port', '0', '--tmobile-port', '0']).ports).toMatchObject({
      att: 0,
      tmobile: 0,
    });
  });
});

describe('PostgreSQL and replicas', () => {
  it('takes a postgres:// store from the flag or ESIMLAB_STORE, one schema per carrier', () => {
    expect(parse(['--store', 'postgres://esimlab@db:5432/lab']).store).toEqual({
      kind: 'postgres',
      url: 'postgres://esimlab@db:5432/lab',
      schemaPrefix: 'esimlab',
    });
    expect(
      parse([], { ESIMLAB_STORE: 'postgresql://db/lab', ESIMLAB_SCHEMA_PREFIX: 'ci_42' }).store,
    ).toEqual({ kind: 'postgres', url: 'postgresql://db/lab', schemaPrefix: 'ci_42' });
  });

  it('runs replicas on PostgreSQL, replica i on the carrier port + 100·i unless listed', () => {
    const config = parse(
      ['--store', 'postgres://db/lab', '--replicas', '3', '--tmobile-port', '5001,5002,5003'],
      { ESIMLAB_VERIZON_PORT: '0' },
    );
    expect(config.replicas).toBe(3);
    expect(config.ports).toEqual({ att: 4101, tmobile: [5001, 5002, 5003], verizon: 0 });
    expect(parse([], { ESIMLAB_STORE: 'postgres://db/lab', ESIMLAB_REPLICAS: '2' }).replicas).toBe(
      2,
    );
  });

  it('refuses replicas on SQLite or memory, saying why and what to use', () => {
    expect(rejection(['--replicas', '2']).message).toBe(
      '--replicas above 1 needs the PostgreSQL store: a SQLite file belongs to one process, so each replica would be a carrier of its own with its own state; pass --store postgres://user@host:5432/database, or run 1 replica',
    );
    expect(rejection(['--store', 'memory'], { ESIMLAB_REPLICAS: '3' }).message).toContain(
      'ESIMLAB_REPLICAS above 1 needs the PostgreSQL store: the memory store lives inside one process',
    );
    expect(parse(['--replicas', '1', '--store', 'memory']).replicas).toBe(1);
  });

  it.each([
    [['--replicas', '0'], '--replicas must be a whole number from 1 to 16'],
    [['--replicas', '17'], '--replicas must be a whole number from 1 to 16'],
    [['--replicas', 'two'], '--replicas must be a whole number'],
    [
      ['--store', 'postgres://db/lab', '--schema-prefix', 'Lab'],
      '--schema-prefix must start with a lower-case letter',
    ],
    [
      ['--schema-prefix', 'lab'],
      '--schema-prefix names PostgreSQL schemas, but the store is sqlite',
    ],
    [['--att-port', '4101,4201'], '--att-port lists 2 ports for 1 replica'],
    [
      ['--store', 'postgres://db/lab', '--replicas', '2', '--att-port', '4101,4201,4301'],
      '--att-port lists 3 ports for 2 replicas',
    ],
    [
      ['--store', 'postgres://db/lab', '--replicas', '2', '--att-port', '65500'],
      'puts replica 1 of att on port 65600, past 65535',
    ],
    [
      ['--store', 'postgres://db/lab', '--replicas', '2', '--tmobile-port', '4201'],
      '--att-port (replica 1 of att) and --tmobile-port (replica 0 of tmobile) are both 4201',
    ],
    [['--att-port', '4101,x'], '--att-port must be a port number from 0 to 65535'],
  ])('rejects %j naming the setting', (argv, message) => {
    expect(rejection(argv).message).toContain(message);
  });

  it('documents the store, the schema prefix and replicas in --help', () => {
    expect(carrierUsage).toMatch(/--store <kind>\s+ESIMLAB_STORE\s+.*memory, or/);
    expect(carrierUsage).toContain('postgres://user@host:5432/db');
    expect(carrierUsage).toMatch(/--schema-prefix <name>\s+ESIMLAB_SCHEMA_PREFIX/);
    expect(carrierUsage).toMatch(/--replicas <n>\s+ESIMLAB_REPLICAS/);
    expect(carrierUsage).toContain('att: 4101, 4201, 4301');
  });
});

describe('crash points at start-up', () => {
  it('arms a bare point on every started carrier, and a carrier:point on that one only', () => {
    expect(parse(['--crash-point', 'after-capture']).crashPoints).toEqual({
      att: ['after-capture'],
      tmobile: ['after-capture'],
      verizon: ['after-capture'],
    });
    expect(parse(['--crash-point', 'tmobile:after-authorize']).crashPoints).toEqual({
      tmobile: ['after-authorize'],
    });
    expect(
      parse(['--carriers', 'att,verizon', '--crash-point', 'before-response']).crashPoints,
    ).toEqual({ att: ['before-response'], verizon: ['before-response'] });
  });

  it('takes the flag repeated and as a comma list, in saga order without duplicates', () => {
    const config = parse([
      '--crash-point',
      'att:before-response, att:after-credit',
      '--crash-point=att:after-authorize',
      '--crash-point',
      'att:after-credit',
    ]);
    expect(config.crashPoints).toEqual({
      att: ['after-authorize', 'after-credit', 'before-response'],
    });
  });

  it('lets the flag win over ESIMLAB_CRASH_POINTS, and treats an empty variable as unset', () => {
    expect(
      parse(['--crash-point', 'att:after-capture'], { ESIMLAB_CRASH_POINTS: 'after-credit' })
        .crashPoints,
    ).toEqual({ att: ['after-capture'] });
    expect(parse([], { ESIMLAB_CRASH_POINTS: '' }).crashPoints).toEqual({});
  });

  it('suggests the flag for a misspelling, and documents it in --help', () => {
    expect(rejection(['--crash-points', 'after-credit']).message).toContain(
      'did you mean --crash-point?',
    );
    expect(carrierUsage).toMatch(/--crash-point <point>\s+ESIMLAB_CRASH_POINTS/);
    for (const point of ['after-authorize', 'after-credit', 'after-capture', 'before-response']) {
      expect(carrierUsage).toContain(point);
    }
    expect(carrierUsage).toContain('restarts run without it');
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['example.test', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('wantsHelp', () => {
  it('sees --help and -h anywhere', () => {
    expect(wantsHelp(['--att-port', '0', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp([])).toBe(false);
  });
});

describe('fault rules at start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'esimlab-faults-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('takes a preset by name, from the flag or ESIMLAB_FAULTS', () => {
    const config = parse(['--faults', 'flaky-mobile']);
    expect(config.faults).toEqual({
      source: 'flaky-mobile',
      rules: faultPresets['flaky-mobile'].rules,
    });
    expect(config.faultSeed).toBeUndefined();
    expect(parse([], { ESIMLAB_FAULTS: 'carrier-outage' }).faults?.source).toBe('carrier-outage');
  });

  it('reads a JSON file of rules, bare or as {rules, seed}, relative to the working directory', () => {
    file('bare.json', JSON.stringify([{ kind: 'timeout', match: { path: '/v1/plans' } }]));
    const bare = parseCarrierConfig(['--faults', 'bare.json'], {}, dir);
    expect(bare.faults).toEqual({
      source: join(dir, 'bare.json'),
      rules: [
        { id: 'f1', probability: 1, kind: 'timeout', match: { path: '/v1/plans' }, params: {} },
      ],
    });
    const withSeed = file(
      'seeded.json',
      JSON.stringify({ rules: [{ kind: 'reset-before' }], seed: 9 }),
    );
    expect(parse(['--faults', withSeed]).faultSeed).toBe(9);
    expect(parse(['--faults', withSeed, '--fault-seed', '5']).faultSeed).toBe(5);
    expect(parse([], { ESIMLAB_FAULT_SEED: '4294967295' }).faultSeed).toBe(4294967295);
  });

  it('names the flag, the rule and the field of a bad rule in the file', () => {
    const bad = file(
      'bad.json',
      JSON.stringify([
        { kind: 'timeout' },
        { kind: 'error', params: { status: 404 } },
        { kind: 'nope' },
      ]),
    );
    const message = rejection(['--faults', bad]).message;
    expect(message).toContain(`--faults: ${bad}: rules[1].params.status`);
    expect(message).toContain('(and 1 more)');
    expect(rejection([], { ESIMLAB_FAULTS: bad }).message).toContain('ESIMLAB_FAULTS: ');
  });

  it.each([
    [['--faults', 'flaky-mobil'], 'neither a fault preset (flaky-mobile, carrier-outage'],
    [['--fault-seed=-1'], '--fault-seed must be an integer from 0 to 4294967295'],
    [['--fault-seed', '4294967296'], '--fault-seed must be an integer'],
    [['--fault-seed', 'abc'], '--fault-seed must be an integer'],
  ])('rejects %j naming the setting', (argv, message) => {
    expect(rejection(argv).message).toContain(message);
  });

  it('rejects a file that is not JSON, or not a rule list', () => {
    expect(rejection(['--faults', file('broken.json', '[{')]).message).toContain(
      'is not valid JSON',
    );
    expect(rejection(['--faults', file('object.json', '{"kind":"timeout"}')]).message).toContain(
      '(root): expected an array of fault rules or an object {rules, seed?}',
    );
  });

  it('documents both flags in --help', () => {
    expect(carrierUsage).toMatch(/--faults <preset\|file>\s+ESIMLAB_FAULTS/);
    expect(carrierUsage).toMatch(/--fault-seed <n>\s+ESIMLAB_FAULT_SEED/);
    for (const preset of Object.keys(faultPresets)) expect(carrierUsage).toContain(preset);
  });
});

describe('checksNestedTransactions', () => {
  it.each([
    ['test', true],
    ['development', true],
    ['production', false],
    [undefined, false],
    ['TEST', false],
  ])('NODE_ENV %s: %s', (nodeEnv, expected) => {
    expect(checksNestedTransactions({ NODE_ENV: nodeEnv })).toBe(expected);
  });
});
