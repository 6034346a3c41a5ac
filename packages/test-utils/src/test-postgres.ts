// The PostgreSQL server the carrier and CLI tests use, and the one place they read their environment.
// Outside CI an unreachable server skips them with a printed notice; with CI=true they run
// anyway and fail, because CI must never skip them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** `ESIMLAB_TEST_POSTGRES_URL`, else the local server CI starts (trust auth, database `test`). */
export const testPostgresUrl =
  process.env.ESIMLAB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const inCi = process.env.CI === 'true' || process.env.CI === '1';
const unreachable = await probe(testPostgresUrl);

/** True only outside CI, when the server cannot be reached. */
export const skipPostgres = unreachable !== undefined && !inCi;

if (skipPostgres) {
  console.warn(
    `PostgreSQL replica tests SKIPPED: cannot reach ${redacted(testPostgresUrl)} (${unreachable}). Start the server (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or point ESIMLAB_TEST_POSTGRES_URL at one; with CI=true these tests fail instead of skipping.`,
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

const prefixes = new Set<string>();

/**
 * A schema prefix no other test uses (carrier att then lives in `<prefix>_att`);
 * `dropTestSchemas` removes every schema under it.
 */
export function newSchemaPrefix(): string {
  const prefix = `esimlab_test_${randomBytes(5).toString('hex')}`;
  prefixes.add(prefix);
  return prefix;
}

/** Drops every schema under the prefixes handed out; stop the carriers using them first. */
export async function dropTestSchemas(): Promise<void> {
  if (prefixes.size === 0 || unreachable !== undefined) return;
  const taken = [...prefixes];
  prefixes.clear();
  await withTestClient(async (client) => {
    // A leaked connection holding a lock should fail the drop, not hang the suite.
    await client.query(`SET lock_timeout = '5s'`);
    for (const prefix of taken) {
      const { rows } = await client.query(
        `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`,
        [`${prefix}_`],
      );
      for (const { nspname } of rows) {
        await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(String(nspname))} CASCADE`);
      }
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

function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured PostgreSQL URL';
  }
}
