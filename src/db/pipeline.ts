import type { Kysely, RawBuilder } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Statements of one transaction that run one after another, each sent before the caller
 * builds the next: the server executes statement n while this process computes the
 * parameters of n + 1 (two cores, one each). At most one statement is in flight, and it was
 * sent before anything the caller does next, so a caller that throws gets its rollback
 * after it (the driver runs a connection's queries in order) and nothing is sent later.
 * A statement's failure surfaces at the next `push` or at `drain`.
 */
export class StatementPipeline {
  private inFlight: Promise<void> | undefined;

  constructor(private readonly db: Kysely<DB>) {
    if (!db.isTransaction) throw new Error('A statement pipeline runs inside a transaction');
  }

  /** Waits for the statement before, then sends this one; `check` sees its rows when they come. */
  async push<R>(query: RawBuilder<R>, check?: (rows: R[]) => void): Promise<void> {
    await this.drain();
    const running = query.execute(this.db).then(({ rows }) => check?.(rows));
    // Observed by the next push or drain; never an unhandled rejection meanwhile.
    running.catch(() => {});
    this.inFlight = running;
    // Let the query reach the server before the caller goes on computing.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Waits for the statement in flight, if any, and rethrows its failure. */
  async drain(): Promise<void> {
    const running = this.inFlight;
    this.inFlight = undefined;
    if (running) await running;
  }
}
