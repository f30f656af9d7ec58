/**
 * The metadata backends DB-touching suites loop over (Kysely's DIALECTS idea). SQLite always;
 * PostgreSQL when RETAKE_TEST_DATABASE_URL is set. Under CI a missing PostgreSQL is a failure, not a skip.
 */
export type Backend = { name: 'sqlite'; databaseUrl: null } | { name: 'postgres'; databaseUrl: string }

export function testBackends(): Backend[] {
  const url = process.env.RETAKE_TEST_DATABASE_URL
  if (!url && process.env.CI) throw new Error('CI is set but RETAKE_TEST_DATABASE_URL is not: PostgreSQL suites would be skipped')
  const only = process.env.RETAKE_TEST_BACKENDS?.split(',')
  const all: Backend[] = [{ name: 'sqlite', databaseUrl: null }]
  if (url) all.push({ name: 'postgres', databaseUrl: url })
  return only ? all.filter((backend) => only.includes(backend.name)) : all
}
