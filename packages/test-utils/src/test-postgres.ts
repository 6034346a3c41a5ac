// The PostgreSQL server the store, carrier and CLI tests use, and the one place they read their
// environment. Outside CI an unreachable server skips them with a printed notice; with CI=true
// they run anyway and fail, because CI must never skip them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redacted } from './redacted-url.ts';

/** `ESIMLAB_TEST_POSTGRES_URL`, else the local server CI starts (trust auth, database `test`). */
export const testPostgresUrl =
  process.env.ESIMLAB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const inCi = process.env.CI === 'true' || process.env.CI === '1';
const unreachable = await probe(testPostgresUrl);

/** True only outside CI, when the server cannot be reached. */
export const skipPostgres = unreachable !== undefined && !inCi;

if (skipPostgres) {
  console.warn(
    `PostgreSQL tests SKIPPED: cannot reach ${redacted(testPostgresUrl)} (${unreachable}). Start the server (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or point ESIMLAB_TEST_POSTGRES_URL at one; with CI=true these tests fail instead of skipping.`,
  );
}

/** Fails the calling test when CI needs PostgreSQL and it is not there. */
export function requirePostgres(): void {
  if (unreachable !== undefined) {
    throw new Error(
      `PostgreSQL is required in CI but ${redacted(testPostgresUrl)} is unreachable (${unreachable}); start it with pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
    );
  }
}

const schemas = new Set<string>();
const prefixes = new Set<string>();

/** A schema name no other test uses; `dropTestSchemas` removes it with everything in it. */
export function newTestSchema(): string {
  const schema = `esimlab_test_${randomBytes(6).toString('hex')}`;
  schemas.add(schema);
  return schema;
}

/**
 * A schema prefix no other test uses (carrier att then lives in `<prefix>_att`);
 * `dropTestSchemas` removes every schema under it.
 */
export function newSchemaPrefix(): string {
  const prefix = `esimlab_test_${randomBytes(5).toString('hex')}`;
  prefixes.add(prefix);
  return prefix;
}

/**
 * Drops every schema `newTestSchema` handed out and every schema under the prefixes
 * `newSchemaPrefix` handed out; close the stores and stop the carriers using them first.
 */
export async function dropTestSchemas(): Promise<void> {
  if ((schemas.size === 0 && prefixes.size === 0) || unreachable !== undefined) return;
  const named = [...schemas];
  const taken = [...prefixes];
  schemas.clear();
  prefixes.clear();
  await withTestClient(async (client) => {
    // A leaked connection holding a lock should fail the drop, not hang the suite.
    await client.query(`SET lock_timeout = '5s'`);
    for (const prefix of taken) {
      const { rows } = await client.query(
        `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`,
        [`${prefix}_`],
      );
      named.push(...rows.map(({ nspname }) => String(nspname)));
    }
    for (const schema of named) {
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    }
  });
}

/** A plain connection to the test server, to look at what the database itself holds. */
export async function withTestClient<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    if (!(error instanceof Error)) return String(error);
    return error.message || (error as NodeJS.ErrnoException).code || error.name;
  } finally {
    await client.end().catch(() => {});
  }
}
