// The pg client of the pool. It prepares every parameterised statement once per connection: the statement's text is its
// name (hashed), so PostgreSQL parses and plans it once and later executions skip both. Kysely compiles the
// same text for the same query shape, so the set of names is bounded by the application's query shapes. The
// profile of order placement and order reads showed PostgreSQL spending most of its CPU planning the large
// statements again on every request.
//
// It also saves round trips at a transaction's two ends. Each round trip wakes PostgreSQL's backend and then
// this process; on a 2-core machine shared by both, that cost order placement more than the statements' own
// work (interleaved runs of `POST /v3/order`, 2026-12-03: +12% orders/s from the held BEGIN alone).
// - BEGIN is held until the transaction's next statement and goes in the same write, before that statement's
//   own messages and one Sync. BEGIN has no effect a client can see before the next statement (the snapshot
//   is taken by the first statement), so waiting for its answer was a round trip for nothing. A transaction
//   that ends without a statement never reaches the server.
// - A statement marked with `thenCommit` is followed, in the same write and before the same Sync, by COMMIT.
//   If the statement fails, PostgreSQL skips the COMMIT and the transaction rolls back as usual. The
//   transaction is over once that statement has answered, so the caller's own COMMIT is answered here.
import { createHash } from 'node:crypto';
import pg from 'pg';

// Shapes beyond this many (e.g. unusually long `in (…)` lists) run unprepared, so neither this map nor a
// connection's prepared statements on the server grow without bound.
const MAX_PREPARED = 2_000;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_PREPARED) {
    name = `lr_${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  return name;
}

const COMMIT_AFTER = Symbol('labroute.commitAfter');

/**
 * Marks a statement's parameter list so that, on PostgreSQL, COMMIT is sent with the statement (see above).
 * The caller must run no other statement in the transaction after it. Elsewhere (PGlite, a statement that is
 * not prepared) the mark is ignored and the transaction commits as usual.
 */
export function thenCommit<T extends unknown[]>(parameters: T): T {
  Object.defineProperty(parameters, COMMIT_AFTER, { value: true });
  return parameters;
}

/**
 * Raised when a transaction's outcome is settled or unknown although its caller may think otherwise: the
 * COMMIT sent with a statement failed or its connection dropped (it may have committed), or the caller went on
 * after that COMMIT. Whoever sees it must not run the transaction's work again: it may already be stored.
 */
export class CommitOutcomeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommitOutcomeError';
  }
}

/** What pg answers for a command without rows; what Kysely reads of BEGIN, COMMIT and ROLLBACK. */
const commandResult = (command: string) => ({ command, rowCount: null, rows: [], fields: [], oid: null });

/** The parts of pg's connection and query classes used here (internal to pg, untyped by @types/pg). */
interface Connection {
  stream: { cork(): void; uncork(): void };
  on(event: 'parseComplete', listener: () => void): void;
  off(event: 'parseComplete', listener: () => void): void;
  parsedStatements: Record<string, string>;
  parse(message: { text: string }): void;
  bind(message: object): void;
  execute(message: object): void;
  sync(): void;
}
interface QueryInternals {
  name: string;
  portal: string;
  hasBeenParsed(connection: Connection): boolean;
  submit(connection: Connection): Error | null;
  handleCommandComplete(message: { command?: string; text?: string }, connection: Connection): void;
  handleError(error: Error, connection: Connection): void;
  handleReadyForQuery(connection: Connection): void;
}
const Query = pg.Query as unknown as new (config: object) => QueryInternals;

/** Runs a statement on the unnamed statement and portal, with no answer wanted but its completion. */
function sendCommand(connection: Connection, text: string): void {
  connection.parse({ text });
  connection.bind({});
  connection.execute({});
}

/** A prepared query sent in one write with a BEGIN before it and/or a COMMIT after it. */
class PipelinedQuery extends Query {
  /** Completions still to come from the BEGIN before the statement. */
  private beginPending: boolean;
  private statementDone = false;
  /** Whether the statement's own Parse was sent (it was not yet prepared on this connection). */
  private parseSent = false;
  private parsesAnswered = 0;
  private readonly countParse = () => {
    this.parsesAnswered += 1;
  };
  committed = false;

  constructor(
    config: object,
    readonly begin: boolean,
    readonly commit: boolean,
  ) {
    super(config);
    this.beginPending = begin;
  }

  override submit(connection: Connection): Error | null {
    this.parseSent = !this.hasBeenParsed(connection);
    connection.on('parseComplete', this.countParse);
    connection.stream.cork();
    try {
      if (this.begin) sendCommand(connection, 'begin');
      return super.submit(connection);
    } finally {
      connection.stream.uncork();
    }
  }

  // pg's Query ends its extended-protocol messages here (Execute, then Sync): the COMMIT goes between them.
  _getRows(connection: Connection, rows: number | undefined): void {
    connection.execute({ portal: this.portal, rows });
    if (this.commit) sendCommand(connection, 'commit');
    connection.sync();
  }

  override handleCommandComplete(message: { command?: string; text?: string }, connection: Connection): void {
    if (this.beginPending) {
      this.beginPending = false;
      return;
    }
    if (!this.statementDone) {
      this.statementDone = true;
      super.handleCommandComplete(message, connection);
      return;
    }
    this.committed = true;
  }

  override handleReadyForQuery(connection: Connection): void {
    connection.off('parseComplete', this.countParse);
    super.handleReadyForQuery(connection);
  }

  override handleError(error: Error, connection: Connection): void {
    connection.off('parseComplete', this.countParse);
    // pg records the statement as parsed on any ParseComplete while it is active, BEGIN's included. The
    // server answers Parses in order: if the statement's own was not answered, that record is wrong.
    if (this.parseSent && this.parsesAnswered < (this.begin ? 2 : 1)) delete connection.parsedStatements[this.name];
    // A server error before the statement completed means PostgreSQL skipped the COMMIT: the transaction is
    // aborted, not committed, and rolls back as usual. Anything else after sending COMMIT leaves it unknown.
    const commitUnsettled = this.commit && (this.statementDone || !(error instanceof pg.DatabaseError));
    super.handleError(
      commitUnsettled ? new CommitOutcomeError(`COMMIT sent with the statement did not answer: ${error.message}`, { cause: error }) : error,
      connection,
    );
  }
}

type QueryResult = { command: string };

export class PreparingClient extends pg.Client {
  /** A BEGIN this client has answered but not yet sent. */
  private beginHeld = false;
  /** The transaction ended with a statement's COMMIT (or that COMMIT failed); the caller's COMMIT is still to come. */
  private ended: 'committed' | 'unsettled' | null = null;
  /** The server's transaction status from its last ReadyForQuery: 'I' idle, 'T' in a transaction, 'E' failed. */
  private serverStatus = 'I';

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // pg-pool listens for errors only on idle clients. A connection that drops while checked out (a server
    // restart in the middle of a transaction) would emit an unhandled 'error' and end the process; with this
    // listener its query fails instead, and the pool discards the client on release (it is no longer queryable).
    this.on('error', () => undefined);
    (
      this as unknown as { connection: { on(event: 'readyForQuery', listener: (message: { status: string }) => void): void } }
    ).connection.on('readyForQuery', (message) => {
      this.serverStatus = message.status;
    });
  }

  override query(...args: unknown[]): never {
    return this.route(args) as never;
  }

  private send(...args: unknown[]): unknown {
    return (super.query as (...a: unknown[]) => unknown)(...args);
  }

  private route(args: unknown[]): unknown {
    const [config, values] = args;
    // Only Kysely's calls (text and a parameter list, answered by a promise) are held or pipelined.
    const promised = typeof config === 'string' && args.length <= 2 && (values === undefined || Array.isArray(values));
    if (!promised) return this.send(...args);
    const text = config as string;
    const parameters = (values ?? []) as unknown[];
    const bare = parameters.length === 0;
    if (this.ended) return this.afterEnd(text, bare);
    if (bare && text === 'begin' && !this.beginHeld) {
      this.beginHeld = true;
      return Promise.resolve(commandResult('BEGIN'));
    }
    const begin = this.beginHeld;
    this.beginHeld = false;
    if (begin && bare && (text === 'commit' || text === 'rollback')) return Promise.resolve(commandResult(text.toUpperCase()));
    const name = bare ? undefined : nameOf(text);
    // Outside a transaction the statement commits by itself; a COMMIT after it would end nobody's transaction.
    const commit =
      name !== undefined && (begin || this.serverStatus === 'T') && (parameters as { [COMMIT_AFTER]?: boolean })[COMMIT_AFTER] === true;
    if (name && (begin || commit)) return this.pipelined({ name, text, values: parameters }, begin, commit);
    // A statement that is not prepared cannot share the Sync: its BEGIN goes first, as Kysely sent it.
    const held = begin ? (this.send('begin') as Promise<unknown>) : undefined;
    const result = name ? this.send({ name, text, values: parameters }) : this.send(...args);
    return held ? Promise.all([held, result]).then(([, answer]) => answer) : result;
  }

  private pipelined(config: { name: string; text: string; values: unknown[] }, begin: boolean, commit: boolean): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const query = new PipelinedQuery(
        {
          ...config,
          callback: (error: Error | null, result: unknown) => {
            if (commit) this.ended = query.committed && !error ? 'committed' : error instanceof CommitOutcomeError ? 'unsettled' : null;
            if (error) reject(error);
            else resolve(result);
          },
        },
        begin,
        commit,
      );
      this.send(query);
    });
  }

  /** The caller's next statement after a COMMIT sent with a statement: its own COMMIT or ROLLBACK, by contract. */
  private afterEnd(text: string, bare: boolean): Promise<QueryResult> {
    const ended = this.ended;
    this.ended = null;
    if (bare && text === 'commit' && ended === 'committed') return Promise.resolve(commandResult('COMMIT'));
    if (bare && text === 'rollback') {
      // The server has no transaction open either way. After a failed COMMIT the caller already holds its
      // CommitOutcomeError; after a successful one, a rollback must not pass for one: nobody may run the work again.
      if (ended === 'unsettled') return Promise.resolve(commandResult('ROLLBACK'));
      return Promise.reject(new CommitOutcomeError('the transaction had already committed'));
    }
    return Promise.reject(new CommitOutcomeError(`statement after the transaction's COMMIT: ${text.slice(0, 60)}`));
  }
}
