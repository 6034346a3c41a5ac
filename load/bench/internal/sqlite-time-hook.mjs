// Preloaded into a carrier process (NODE_OPTIONS=--import …) to time its SQLite work: every
// statement better-sqlite3 runs, COMMITs apart, and each statement's SQL on its own. On each
// SIGUSR2 it writes what it has counted so far to $ESIMLAB_SQLITE_TIME_DIR/sqlite-time.<pid>.json,
// with a snapshot number, so the benchmark can take the difference across its measured window
// (`sqlite-time.ts`).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const dir = process.env.ESIMLAB_SQLITE_TIME_DIR;
if (dir) {
  // The carrier's own copy of the driver: the one its store loads.
  const fromLoad = createRequire(import.meta.url);
  const fromCarrier = createRequire(fromLoad.resolve('@esimlab/carrier'));
  const fromStore = createRequire(fromCarrier.resolve('@esimlab/store'));
  const Database = fromStore('better-sqlite3');
  const probe = new Database(':memory:');
  const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
  probe.close();

  const counted = { statements: 0, statementNs: 0n, commits: 0, commitNs: 0n };
  // By SQL text: [times run, nanoseconds]. The store prepares each statement once and reuses
  // it, so the texts are few.
  const bySql = new Map();
  // Not `iterate`: its rows are read after it returns. The carrier's hot path does not use it.
  for (const method of ['run', 'get', 'all']) {
    const original = Statement[method];
    Statement[method] = function timed(...args) {
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const ns = process.hrtime.bigint() - started;
        const { source } = this;
        const sql = bySql.get(source);
        if (sql === undefined) bySql.set(source, [1, ns]);
        else {
          sql[0] += 1;
          sql[1] += ns;
        }
        if (source === 'COMMIT') {
          counted.commits += 1;
          counted.commitNs += ns;
        } else {
          counted.statements += 1;
          counted.statementNs += ns;
        }
      }
    };
  }
  let snapshot = 0;
  process.on('SIGUSR2', () => {
    snapshot += 1;
    writeFileSync(
      join(dir, `sqlite-time.${process.pid}.json`),
      JSON.stringify({
        snapshot,
        statements: counted.statements,
        statementMs: Number(counted.statementNs) / 1e6,
        commits: counted.commits,
        commitMs: Number(counted.commitNs) / 1e6,
        bySql: [...bySql].map(([sql, [runs, ns]]) => ({ sql, runs, ms: Number(ns) / 1e6 })),
      }),
    );
  });
}
