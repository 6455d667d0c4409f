/**
 * Writes that must happen together or not at all: a state change and the outbox row of the mail
 * that announces it (RL-12). Inside `run`, every repository call of the work joins one
 * transaction; a nested `run` joins the outer one. The work must contain only store calls and
 * quick computation: on SQLite the transaction holds the write lock until the work returns.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
  /** `effect` runs once the current unit has committed (at once outside a unit); never after a rollback. */
  abstract afterCommit(effect: () => void): void;
}
