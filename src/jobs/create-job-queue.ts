import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import type { JobQueue, JobQueueOptions } from './job-queue.js'
import { PgBossJobQueue, type PgBossJobQueueOptions } from './pg-boss-job-queue.js'
import { SqliteJobQueue, type SqliteJobQueueOptions } from './sqlite-job-queue.js'

export type CreateJobQueueOptions = JobQueueOptions & (
  | ({ engine: 'sqlite'; db: Kysely<Database> } & Omit<SqliteJobQueueOptions, keyof JobQueueOptions>)
  | ({ engine: 'postgres'; databaseUrl: string; pgSchema?: string } & Omit<PgBossJobQueueOptions, keyof JobQueueOptions | 'connectionString' | 'schema'>)
)

/**
 * The only place that picks the queue: the table-polling queue on the embedded SQLite database, pg-boss
 * on PostgreSQL. `pgSchema` is pg-boss's own schema (default 'pgboss'), not the application's.
 */
export function createJobQueue(options: CreateJobQueueOptions): JobQueue {
  if (options.engine === 'sqlite') {
    const { engine: _engine, db, ...rest } = options
    return new SqliteJobQueue(db, rest)
  }
  const { engine: _engine, databaseUrl, pgSchema, ...rest } = options
  return new PgBossJobQueue({ ...rest, connectionString: databaseUrl, ...(pgSchema ? { schema: pgSchema } : {}) })
}
