import { testS3 } from './s3.js'

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

/** Where blobs go: files under the data folder, or a bucket of its own on the test S3 server (helpers/s3.ts). */
export type BlobStoreKind = 'fs' | 's3'

/**
 * The blob stores suites may run on: files always; S3 when a test S3 server is configured (under CI it
 * must be). Narrowable with RETAKE_TEST_BLOB_STORES=fs,s3.
 */
export function testBlobStores(): BlobStoreKind[] {
  const only = process.env.RETAKE_TEST_BLOB_STORES?.split(',')
  const all: BlobStoreKind[] = ['fs']
  if (testS3()) all.push('s3')
  return only ? all.filter((kind) => only.includes(kind)) : all
}

export interface TestSetup {
  name: string
  backend: Backend
  blobStore: BlobStoreKind
}

/**
 * Database × blob store combinations for suites whose behaviour depends on both: every database with
 * files, and S3 with the last database (PostgreSQL when configured: the shared database and bucket
 * several nodes run on). So: SQLite + files, PostgreSQL + files, PostgreSQL + S3.
 */
export function testSetups(): TestSetup[] {
  const backends = testBackends()
  const stores = testBlobStores()
  const setups: TestSetup[] = []
  if (stores.includes('fs')) for (const backend of backends) setups.push({ name: backend.name, backend, blobStore: 'fs' })
  const last = backends[backends.length - 1]
  if (last && stores.includes('s3')) setups.push({ name: `${last.name} + s3`, backend: last, blobStore: 's3' })
  return setups
}
