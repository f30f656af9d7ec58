import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { MemoryNonceStore } from '../../src/auth/nonce-store.js'
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js'
import { DbNonceStore } from '../../src/db/db-nonce-store.js'
import { testBackends, type Backend } from '../helpers/backends.js'
import { runNonceStoreContract } from './nonce-store.contract.js'

runNonceStoreContract('MemoryNonceStore', async (options) => ({ store: new MemoryNonceStore(options), cleanup: async () => undefined }))

/** A database of its own (SQLite file, or a PostgreSQL schema), and how to drop it. */
async function openDatabase(backend: Backend): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  if (backend.name === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'retake-nonces-'))
    const handle = await createDatabase({ databaseUrl: null, sqlitePath: join(dir, 'retake.db') })
    return { handle, drop: () => rm(dir, { recursive: true, force: true }) }
  }
  const pgSchema = `retake_nonces_${process.pid}_${randomBytes(4).toString('hex')}`
  const handle = await createDatabase({ databaseUrl: backend.databaseUrl, sqlitePath: '', pgSchema })
  return {
    handle,
    drop: async () => {
      const client = new pg.Client({ connectionString: backend.databaseUrl })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`).finally(() => client.end())
    },
  }
}

for (const backend of testBackends()) {
  runNonceStoreContract(`DbNonceStore on ${backend.name}`, async (options) => {
    const { handle, drop } = await openDatabase(backend)
    return {
      store: new DbNonceStore(handle.db, options),
      peer: new DbNonceStore(handle.db, options),
      cleanup: async () => {
        await handle.close()
        await drop()
      },
    }
  })

  test(`DbNonceStore on ${backend.name}: expired rows are deleted`, async () => {
    const { handle, drop } = await openDatabase(backend)
    try {
      let now = 1_700_000_000_000
      const store = new DbNonceStore(handle.db, { windowSeconds: 60, now: () => now })
      for (let i = 0; i < 20; i++) await store.checkAndRemember({ consumerKey: 'ck', timestamp: now / 1000, nonce: `n${i}` })
      assert.equal(await store.size(), 20)
      now += 61_000
      await store.checkAndRemember({ consumerKey: 'ck', timestamp: now / 1000, nonce: 'fresh' })
      assert.equal(await store.size(), 1, 'a pass past the window deletes the expired rows')
    } finally {
      await handle.close()
      await drop()
    }
  })
}
