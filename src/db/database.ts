import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import {
  CamelCasePlugin,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Migration,
  type MigrationProvider,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely'
import pg from 'pg'
import * as initial from './migrations/2026-11-27T0000_initial.js'
import * as albums from './migrations/2026-12-01T0000_albums.js'
import * as nonces from './migrations/2026-12-01T0100_nonces.js'
import * as unknownMethods from './migrations/2026-12-01T0100_unknown_methods.js'
import * as webSessions from './migrations/2026-12-01T1000_web_sessions.js'
import * as search from './migrations/2026-12-02T0000_search.js'
import type { Database } from './tables.js'

export type DatabaseEngine = 'sqlite' | 'postgres'

export interface DatabaseHandle {
  db: Kysely<Database>
  engine: DatabaseEngine
  close(): Promise<void>
}

const migrations: Record<string, Migration> = {
  '2026-11-27T0000_initial': initial,
  '2026-12-01T0000_albums': albums,
  '2026-12-01T0100_nonces': nonces,
  '2026-12-01T0100_unknown_methods': unknownMethods,
  '2026-12-01T1000_web_sessions': webSessions,
  '2026-12-02T0000_search': search,
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
    db = new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect(pool, options.pgSchema ?? null), plugins: [new CamelCasePlugin()] })
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
  const { error } = await migrator.migrateToLatest()
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

/**
 * Kysely's migrator looks for its tables with an introspector that reads the catalog of every schema
 * in the database; a schema dropped by someone else during that query fails it (3F000, seen when test
 * suites share one database). Retake's tables live in one schema, so only that one is read.
 */
class SchemaScopedPostgresDialect extends PostgresDialect {
  readonly #schema: string | null

  constructor(pool: pg.Pool, schema: string | null) {
    super({ pool })
    this.#schema = schema
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaScopedIntrospector(db, this.#schema)
  }
}

class SchemaScopedIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly schema: string | null,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select coalesce(${this.schema}::text, current_schema()) as name`.execute(this.db)
    return rows
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = coalesce(${this.schema}::text, current_schema()) and c.relkind in ('r', 'p', 'v')`.execute(this.db)
    return rows.map((row) => ({ name: row.name, schema: row.schema, isView: row.kind === 'v', columns: [] }))
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() }
  }
}
