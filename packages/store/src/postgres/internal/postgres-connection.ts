import { createHash } from 'node:crypto';
import pg from 'pg';

export type SqlValue = string | number | null | readonly (string | null)[];

/**
 * One client checked out of the pool for a transaction (or a migration run). It prepares each
 * distinct statement once per connection, and notices when the connection itself broke, so
 * that `release` closes it instead of handing a dead socket to the next transaction.
 */
export class PostgresConnection {
  readonly #client: pg.PoolClient;
  #broken: Error | undefined;
  // A checked-out client has no pool listener: without this, a server that drops the
  // connection between two statements would crash the process with an unhandled 'error'.
  readonly #onError = (error: Error): void => {
    this.#broken ??= error;
  };

  constructor(client: pg.PoolClient) {
    this.#client = client;
    client.on('error', this.#onError);
  }

  get broken(): boolean {
    return this.#broken !== undefined;
  }

  /** Runs a statement prepared once per connection, under a name derived from its text. */
  async query<R extends pg.QueryResultRow>(
    text: string,
    values: readonly SqlValue[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.#client.query<R>({ name: statementName(text), text, values: [...values] });
    } catch (error) {
      throw this.#noted(error);
    }
  }

  /** Runs SQL without preparing it: transaction control, DDL and one-off statements. */
  async run<R extends pg.QueryResultRow>(
    text: string,
    values: readonly SqlValue[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.#client.query<R>(text, [...values]);
    } catch (error) {
      throw this.#noted(error);
    }
  }

  /** Ends the current transaction, if any; a failure here only means the connection is gone. */
  async rollback(): Promise<void> {
    try {
      await this.#client.query('ROLLBACK');
    } catch (error) {
      this.#broken ??= error instanceof Error ? error : new Error(String(error));
    }
  }

  release(): void {
    this.#client.removeListener('error', this.#onError);
    this.#client.release(this.#broken);
  }

  // A DatabaseError is the server refusing a statement; anything else (a reset socket, a
  // timeout) leaves the connection in an unknown state.
  #noted(error: unknown): unknown {
    if (!(error instanceof pg.DatabaseError)) {
      this.#broken ??= error instanceof Error ? error : new Error(String(error));
    }
    return error;
  }
}

const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `esimlab_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}
