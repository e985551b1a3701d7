import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './connection';

export type Prepare = <P extends unknown[] = unknown[], R = unknown>(sql: string) => Statement<P, R>;

/** Prepares each SQL text once per connection; operations call it on every use. */
export function statementCache(db: SqliteDatabase): Prepare {
  const cache = new Map<string, Statement>();
  return <P extends unknown[], R>(sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement as unknown as Statement<P, R>;
  };
}
