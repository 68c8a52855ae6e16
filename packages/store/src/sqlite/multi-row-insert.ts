import type Database from 'better-sqlite3';

/**
 * One INSERT statement for many rows, prepared once for each number of rows it is run with. A
 * statement run costs a round trip into SQLite, binding and a VM start whatever it writes: for
 * the ingest path's rows, writing 20 in one statement measured 1.4 to 2 times as fast as 20
 * statements.
 */
export class MultiRowInsert<Result = never> {
  private readonly statements = new Map<number, Database.Statement<unknown[], Result>>();

  /**
   * `head` up to `VALUES`, `tail` after the rows (`ON CONFLICT …`, `RETURNING …`); each row binds
   * `columns` values. At most `maxRows` rows a run.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    readonly columns: number,
    private readonly tail: string,
    readonly maxRows: number,
  ) {}

  /** The statement for `rows` rows, whose values are given flat, row after row. */
  statement(rows: number): Database.Statement<unknown[], Result> {
    let statement = this.statements.get(rows);
    if (!statement) {
      const row = `(${Array.from({ length: this.columns }, () => '?').join(', ')})`;
      const values = Array.from({ length: rows }, () => row).join(', ');
      statement = this.db.prepare<unknown[], Result>(`${this.head} VALUES ${values} ${this.tail}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
