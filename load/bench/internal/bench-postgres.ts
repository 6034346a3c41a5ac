import { connect } from 'node:net';
import { redacted } from '@esimlab/test-utils/redacted-url';

/** Fresh schemas on the PostgreSQL server the replicas share, and their removal. */
export interface BenchPostgres {
  /** A schema prefix no one else uses: carrier att lives in `<prefix>_att`. */
  newSchemaPrefix(): string;
  /** Drops every schema under the prefixes handed out; stop the carriers using them first. */
  dropSchemas(): Promise<void>;
  /**
   * Transactions rolled back in the database so far (`pg_stat_database.xact_rollback`), by
   * every client of it: with serialisable transactions, mostly conflicts retried. PostgreSQL
   * publishes the count within a second or so.
   */
  rolledBackTransactions(): Promise<number | undefined>;
}

/** The server cannot be used; the message names the URL (password hidden) and the flag. */
export class BenchPostgresUnreachable extends Error {
  override readonly name = 'BenchPostgresUnreachable';
}

/**
 * Checks `url` answers, then hands out schemas through the PostgreSQL test helpers
 * (`@esimlab/test-utils/postgres`, which read their server from ESIMLAB_TEST_POSTGRES_URL
 * when first imported: set here, before that import).
 */
export async function openBenchPostgres(url: string): Promise<BenchPostgres> {
  const shown = redacted(url);
  const fix = `start PostgreSQL (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or pass --postgres URL`;
  const refused = await tcpProblem(url);
  if (refused !== undefined) {
    throw new BenchPostgresUnreachable(`cannot reach PostgreSQL at ${shown} (${refused}); ${fix}`);
  }
  process.env.ESIMLAB_TEST_POSTGRES_URL = url;
  // The bench, like CI, never skips: with CI set the helpers print no skip notice, and
  // requirePostgres reports why the server refused.
  const ci = process.env.CI;
  process.env.CI = 'true';
  const helpers = await import('@esimlab/test-utils/postgres');
  if (ci === undefined) delete process.env.CI;
  else process.env.CI = ci;
  try {
    helpers.requirePostgres();
  } catch (error) {
    const reason = (error as Error).message.match(/unreachable \((.*?)\);/)?.[1];
    throw new BenchPostgresUnreachable(
      `PostgreSQL at ${shown} refused the bench${reason === undefined ? '' : ` (${reason})`}; pass --postgres URL with a user and database it accepts`,
    );
  }
  return {
    newSchemaPrefix: helpers.newSchemaPrefix,
    dropSchemas: helpers.dropTestSchemas,
    rolledBackTransactions: () =>
      helpers
        .withTestClient(async (client) => {
          const { rows } = await client.query(
            'SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()',
          );
          const count = Number(rows[0]?.xact_rollback);
          return Number.isFinite(count) ? count : undefined;
        })
        .catch(() => undefined),
  };
}

/** A refused or silent port, found in at most 3 s; undefined when something listens. */
function tcpProblem(url: string): Promise<string | undefined> {
  const parsed = new URL(url);
  // A socket directory (?host=/var/run/postgresql) or no host: left to the client to judge.
  if (parsed.hostname === '') return Promise.resolve(undefined);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port === '' ? 5432 : Number(parsed.port);
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('no answer within 3 s');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
