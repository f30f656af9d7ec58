import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { defaultConfig } from '../../src/config/load.js'
import { createServices } from '../../src/create-services.js'
import { onOneNode } from '../../src/db/advisory-lock.js'
import { createApp, createUser, issueAccessToken } from '../../src/domain/accounts/account-service.js'
import { revokeToken } from '../../src/domain/accounts/token-revocations.js'
import { testBackends } from '../helpers/backends.js'

// Two nodes' services on one PostgreSQL schema (what two `retake serve` processes share): nonces,
// revocations, the maintenance switch and the one-node-at-a-time passes. test/integration/two-nodes.test.ts
// runs the same over real processes and a proxy.
const postgres = testBackends().find((backend) => backend.name === 'postgres')

async function twoNodes(t: { after(fn: () => Promise<void>): void }) {
  const pgSchema = `retake_shared_${process.pid}_${randomBytes(4).toString('hex')}`
  const dataDir = await mkdtemp(join(tmpdir(), 'retake-shared-'))
  const config = defaultConfig({ dataDir, databaseUrl: postgres!.databaseUrl })
  const a = await createServices(config, { pgSchema })
  const b = await createServices(config, { pgSchema })
  t.after(async () => {
    await a.close()
    await b.close()
    const client = new pg.Client({ connectionString: postgres!.databaseUrl })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE; DROP SCHEMA IF EXISTS ${pgSchema}_boss CASCADE`).finally(() => client.end())
    await rm(dataDir, { recursive: true, force: true })
  })
  return { a, b }
}

if (!postgres) {
  test('shared state across nodes', (t) => t.skip('RETAKE_TEST_DATABASE_URL is not set'))
} else {
  test('a nonce used on one node is a replay on the other', async (t) => {
    const { a, b } = await twoNodes(t)
    const use = { consumerKey: 'ck', token: 'tok', timestamp: Math.floor(Date.now() / 1000), nonce: randomBytes(8).toString('hex') }
    assert.equal(await a.nonces.checkAndRemember(use), true)
    assert.equal(await b.nonces.checkAndRemember(use), false)
  })

  test('a token revoked on one node is refused by the other within a second', async (t) => {
    const { a, b } = await twoNodes(t)
    const user = await createUser(a, { username: 'rev', isPro: true })
    const app = await createApp(a, { name: 'rev app', ownerUsername: 'rev' })
    for (const legacy of [false, true]) {
      const { token } = await issueAccessToken(a, { userNsid: user.nsid, apiKey: app.apiKey, perms: 'write', legacy })
      assert.ok(await b.credentials.accessToken(token), 'B has the token cached (5 s TTL)')
      const began = Date.now()
      assert.equal(await revokeToken(a, token), true)
      while ((await b.credentials.accessToken(token)) !== undefined) {
        assert.ok(Date.now() - began < 1000, `B still accepts the ${legacy ? 'legacy' : 'OAuth'} token after ${Date.now() - began} ms`)
        await delay(20)
      }
      t.diagnostic(`${legacy ? 'legacy' : 'OAuth'} token refused on B after ${Date.now() - began} ms`)
      assert.equal(await revokeToken(a, token), false, 'a second revoke finds nothing active')
    }
  })

  test('maintenance mode set on one node is read by the other within a second', async (t) => {
    const { a, b } = await twoNodes(t)
    assert.equal(await b.settings.isReadOnly(), false)
    await a.settings.setReadOnly(true)
    const began = Date.now()
    while (!(await b.settings.isReadOnly())) {
      assert.ok(Date.now() - began <= 1100, 'B still writable')
      await delay(20)
    }
    await a.settings.setReadOnly(false)
  })

  test('a background pass runs on one node at a time', async (t) => {
    const { a, b } = await twoNodes(t)
    const key = BigInt(`0x${randomBytes(6).toString('hex')}`)
    let release!: () => void
    const holding = new Promise<void>((resolve) => (release = resolve))
    let entered!: () => void
    const inside = new Promise<void>((resolve) => (entered = resolve))
    const first = onOneNode(a.database, key, async () => {
      entered()
      await holding
    })
    await inside
    assert.equal(await onOneNode(b.database, key, async () => assert.fail('ran beside the holder')), false)
    release()
    assert.equal(await first, true)
    assert.equal(await onOneNode(b.database, key, async () => undefined), true, 'free again once released')
  })
}
