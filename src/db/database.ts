import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely'
import pg from 'pg'
import * as initial from './migrations/2026-11-27T0000_initial.js'
import type { Database } from './tables.js'

export type DatabaseEngine = 'sqlite' | 'postgres'

export interface DatabaseHandle {
  db: Kysely<Database>
  engine: DatabaseEngine
  close(): Promise<void>
}

const migrations: Record<string, Migration> = {
  '2026-11-27T0000_initial': initial,
}

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations
  }
}

// pg returns int8 (bigint) as strings by default; every bigint here (bytes, unix seconds) fits a double.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format as 'text')
  },
}

export interface CreateDatabaseOptions {
  /** postgres://… URL; without it, SQLite at sqlitePath */
  databaseUrl: string | null
  sqlitePath: string
  /** PostgreSQL schema to use (tests isolate themselves in their own schema) */
  pgSchema?: string
}

/** Opens the metadata database (SQLite with WAL, or PostgreSQL) and brings its schema up to date. */
export async function createDatabase(options: CreateDatabaseOptions): Promise<DatabaseHandle> {
  let db: Kysely<Database>
  let engine: DatabaseEngine
  if (options.databaseUrl) {
    engine = 'postgres'
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      types: pgTypes,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    })
    if (options.pgSchema) {
      const client = await pool.connect()
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.pgSchema.replace(/"/g, '')}"`)
      } finally {
        client.release()
      }
    }
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] })
  } else {
    engine = 'sqlite'
    mkdirSync(dirname(options.sqlitePath), { recursive: true })
    const sqlite = new SqliteDatabase(options.sqlitePath)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('foreign_keys = ON')
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), plugins: [new CamelCasePlugin()] })
  }
  // Kysely looks for its migration tables across the search path; name the schema so two isolated
  // schemas in one database never see each other's lock table.
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(),
    ...(options.pgSchema ? { migrationTableSchema: options.pgSchema } : {}),
  })
  let { error } = await migrator.migrateToLatest()
  // Kysely finds its migration tables by introspecting every schema; a schema dropped by someone else
  // during that catalog query fails it with 3F000 (seen when test suites share one database). Retry.
  for (let attempt = 1; attempt < 5 && (error as { code?: string } | undefined)?.code === '3F000'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt))
    ;({ error } = await migrator.migrateToLatest())
  }
  if (error) {
    await db.destroy()
    throw error instanceof Error ? error : new Error(String(error))
  }
  return { db, engine, close: () => db.destroy() }
}

const STATEMENT_CACHE_SIZE = 200

/**
 * Kysely's SQLite driver prepares every query anew, which was the largest single cost of a signed REST
 * call. Queries are built from a small fixed set of shapes, so prepared statements are kept and reused
 * (Kysely runs one query at a time on this connection, so a statement is never busy when reused).
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql)
      if (!statement) {
        statement = sqlite.prepare(sql)
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
        cache.set(sql, statement)
      }
      return statement
    },
  }
}
