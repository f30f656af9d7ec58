import { test } from 'node:test'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { createJobQueue } from '../../src/jobs/create-job-queue.js'
import { testBackends } from '../helpers/backends.js'
import { runJobQueueContract } from './job-queue.contract.js'

// Real PostgreSQL; pg-boss gets a schema of its own per test, dropped afterwards. Under CI a missing
// RETAKE_TEST_DATABASE_URL fails in testBackends().
const postgres = testBackends().find((backend) => backend.name === 'postgres')

if (!postgres) {
  test('PgBossJobQueue contract', (t) => t.skip('RETAKE_TEST_DATABASE_URL is not set'))
} else {
  const databaseUrl = postgres.databaseUrl
  runJobQueueContract('PgBossJobQueue', async () => {
    const pgSchema = `retake_jobs_${process.pid}_${randomBytes(4).toString('hex')}`
    const open = async () => createJobQueue({
      engine: 'postgres', databaseUrl, pgSchema, workers: 4, retryDelaySeconds: 0,
      pollMillis: 50, expireInSeconds: 1, maintenanceIntervalSeconds: 1, poolSize: 3,
    })
    return {
      queue: await open(),
      restart: open,
      cleanup: async () => {
        const client = new pg.Client({ connectionString: databaseUrl })
        await client.connect()
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`)
        } finally {
          await client.end()
        }
      },
    }
  })
}
