// Knows whether code runs inside one of a database's transactions, so that using the database itself there (instead
// of the transaction's tx) is refused at once: on PGlite, one connection, it would wait for the transaction forever.
import { AsyncLocalStorage } from 'node:async_hooks';

/** One per database: run() marks a transaction's callback, check() refuses the database's own use inside it. */
export class TransactionScope {
  readonly #inside = new AsyncLocalStorage<{ open: boolean }>();

  /** Runs a transaction's callback, marked as inside it until it settles (later callbacks it left behind are not). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const state = { open: true };
    try {
      return await this.#inside.run(state, fn);
    } finally {
      state.open = false;
    }
  }

  /** Throws when called from inside a running transaction of this database. */
  check(what: string): void {
    if (this.#inside.getStore()?.open)
      throw new Error(`${what} on the database inside one of its transactions: use the transaction's tx instead`);
  }
}
