// Two real `retake serve` processes on one PostgreSQL database and one RGW bucket, behind a loopback
// round-robin TCP proxy. Python flickrapi uploads and replaces through the proxy (sync and async);
// node A is SIGKILLed with async replaces in flight and node B must finish every ticket, each photo
// wholly old or wholly new on every size. Also: a nonce used on A is a replay on B, a token revoked
// with `retake token revoke` fails on B within a second, and both nodes serve the same sizes.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { fetch } from 'undici'
import { loadConfig } from '../../src/config/load.js'
import { createServices } from '../../src/create-services.js'
import { testBackends } from '../helpers/backends.js'
import { assertLooksLike, fingerprint } from '../helpers/image-fingerprint.js'
import { makeJpeg } from '../helpers/images.js'
import { signedCall } from '../helpers/oauth-client.js'
import { PYTHON, pythonClientMissing } from '../helpers/python-client.js'
import { createTestBucket, testS3, type TestBucket } from '../helpers/s3.js'
import { BIN, cleanEnv, ROOT, startServeProcess, type ServeProcess } from '../helpers/serve-process.js'
import { checkTickets } from '../helpers/tickets.js'
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js'

const run = promisify(execFile)
const DRIVER = fileURLToPath(new URL('../clients/drivers/flickrapi_photos.py', import.meta.url))
const postgres = testBackends().find((backend) => backend.name === 'postgres')
const s3 = testS3()
const skip = !postgres ? 'RETAKE_TEST_DATABASE_URL is not set' : !s3 ? 'no test S3 server (scripts/rgw.sh start)' : pythonClientMissing()
type Result = Record<string, unknown> & { ok: boolean }

describe('two nodes on one PostgreSQL and one bucket, behind a proxy', { skip }, () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'retake-node-a-')), mkdtempSync(join(tmpdir(), 'retake-node-b-'))] as const
  const database = `retake_nodes_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = postgres?.databaseUrl ?? ''
  let bucket: TestBucket
  let env: Record<string, string>
  const nodes: ServeProcess[] = []
  let proxy: TcpProxy
  const adminQuery = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin })
    await client.connect()
    await client.query(sql).finally(() => client.end())
  }
  const cli = async (args: string[]) => JSON.parse((await run(process.execPath, [BIN, ...args, '--data', dirs[0]], { cwd: ROOT, env: cleanEnv(env), timeout: 60_000 })).stdout) as Record<string, string>

  before(async () => {
    await adminQuery(`CREATE DATABASE ${database}`)
    bucket = await createTestBucket(s3!)
    const url = new URL(admin)
    url.pathname = `/${database}`
    env = {
      RETAKE_DATABASE_URL: url.toString(), RETAKE_S3_BUCKET: bucket.name, RETAKE_S3_ENDPOINT: s3!.endpoint, RETAKE_S3_REGION: s3!.region,
      RETAKE_S3_ACCESS_KEY_ID: s3!.accessKeyId, RETAKE_S3_SECRET_ACCESS_KEY: s3!.secretAccessKey, RETAKE_S3_FORCE_PATH_STYLE: 'true',
      // Short leases so the takeover happens in seconds; one worker each, so replaces are still waiting at the kill.
      RETAKE_JOB_EXPIRE_SECONDS: '3', RETAKE_WORKERS: '1', RETAKE_LOG_LEVEL: 'warn', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    }
  })
  after(async () => {
    await proxy?.close()
    for (const node of nodes) {
      if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGKILL')
      await node.exited
      await node.dispatcher.close().catch(() => undefined)
    }
    await bucket?.drop().catch(() => undefined)
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined)
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('shares uploads, tickets, nonces and revocations, and B takes over when A dies', { timeout: 240_000 }, async (t) => {
    await cli(['user', 'create', 'alice', '--pro'])
    const app = await cli(['app', 'create', 'nodes', '--owner', 'alice'])
    const issue = () => cli(['token', 'create', '--user', 'alice', '--api-key', app.api_key!, '--perms', 'write'])
    const token = await issue()
    const consumer = { key: app.api_key!, secret: app.secret! }
    const write = { key: token.oauth_token!, secret: token.oauth_token_secret! }

    const args = ['--https-port', '0', '--no-http']
    const a = await startServeProcess(dirs[0], args, env)
    nodes.push(a)
    // One certificate for both nodes, as behind one name: the client trusts it whichever node answers.
    cpSync(join(dirs[0], 'tls'), join(dirs[1], 'tls'), { recursive: true })
    const b = await startServeProcess(dirs[1], args, env)
    nodes.push(b)
    const port = (node: ServeProcess) => Number(new URL(node.url).port)
    proxy = await startTcpProxy([{ host: '127.0.0.1', port: port(a) }, { host: '127.0.0.1', port: port(b) }])

    const files = mkdtempSync(join(tmpdir(), 'retake-node-files-'))
    t.after(() => rmSync(files, { recursive: true, force: true }))
    const fileOf = (name: string, data: Buffer) => (writeFileSync(join(files, name), data), join(files, name))
    const flickrapi = async (ops: Array<Record<string, unknown>>): Promise<Result[]> => {
      const { stdout } = await run(PYTHON, [DRIVER], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', BASE_URL: proxy.url, CA_FILE: join(dirs[0], 'tls', 'cert.pem'),
          API_KEY: consumer.key, API_SECRET: consumer.secret, OAUTH_TOKEN: write.key, OAUTH_TOKEN_SECRET: write.secret, OPS: JSON.stringify(ops) },
        timeout: 120_000,
      })
      const results = stdout.trim().split('\n').map((line) => JSON.parse(line) as Result)
      for (const result of results) assert.ok(result.ok, `client error: ${JSON.stringify(result)}`)
      return results
    }

    // Sync and async through the proxy: each call may land on either node.
    const PHOTOS = 4
    const olds = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => makeJpeg({ width: 800, height: 600, seed: i + 1 })))
    const news = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => makeJpeg({ width: 4000, height: 3000, seed: 50 + i })))
    const uploads = await flickrapi([
      ...olds.map((data, i) => ({ op: 'upload', file: fileOf(`old-${i}.jpg`, data), title: `photo ${i}` })),
      { op: 'upload', file: fileOf('extra.jpg', olds[0]!), async: true },
      { op: 'checkTickets', tickets: `$${PHOTOS}.ticketid`, wait: true, timeout: 60 },
      { op: 'replace', file: fileOf('extra-new.jpg', olds[1]!), photo_id: '$0.photoid' },
      { op: 'replace', file: fileOf('extra-back.jpg', olds[0]!), photo_id: '$0.photoid', async: true },
      { op: 'checkTickets', tickets: `$${PHOTOS + 3}.ticketid`, wait: true, timeout: 60 },
      { op: 'getSizes', photo_id: '$1.photoid' },
    ])
    const photoIds = uploads.slice(0, PHOTOS).map((result) => String(result.photoid))
    for (const index of [PHOTOS + 1, PHOTOS + 4]) {
      assert.deepEqual((uploads[index]!.tickets as Array<Record<string, string>>).map((ticket) => ticket.complete), ['1'], 'async ticket completed')
    }
    assert.ok(proxy.counts.every((count) => count > 0), `both nodes took connections: ${proxy.counts.join(', ')}`)

    // Sizes served by both nodes, byte for byte the same.
    for (const size of uploads[PHOTOS + 5]!.sizes as Array<{ source: string }>) {
      const path = new URL(size.source).pathname
      const [fromA, fromB] = await Promise.all([a, b].map(async (node) => {
        const response = await fetch(`${node.url}${path}`, { dispatcher: node.dispatcher })
        assert.equal(response.status, 200, `${path} on ${node.url}`)
        return Buffer.from(await response.arrayBuffer())
      }))
      assert.ok(fromA!.equals(fromB!), `${path}: the same bytes from both nodes`)
    }

    // A nonce used on A is a replay on B (a signature made for B's URL, same nonce and timestamp).
    const overrides = { oauth_nonce: randomBytes(12).toString('hex'), oauth_timestamp: String(Math.floor(Date.now() / 1000)) }
    const login = (node: ServeProcess, tok = write, oauthOverrides?: typeof overrides) => signedCall({
      method: 'GET', url: `${node.url}/services/rest`, params: { method: 'flickr.test.login', format: 'json', nojsoncallback: '1' },
      consumer, token: tok, placement: 'query', dispatcher: node.dispatcher, ...(oauthOverrides ? { oauthOverrides } : {}),
    })
    assert.match((await login(a, write, overrides)).body, /"stat":"ok"/)
    assert.match((await login(b, write, overrides)).body, /"code":96/, 'the nonce A saw is refused by B')

    // A token revoked on A's command line fails on B (which has it cached) within a second.
    const doomed = await issue()
    const doomedToken = { key: doomed.oauth_token!, secret: doomed.oauth_token_secret! }
    assert.match((await login(b, doomedToken)).body, /"stat":"ok"/)
    await cli(['token', 'revoke', doomed.oauth_token!])
    const revokedAt = Date.now()
    while (/"stat":"ok"/.test((await login(b, doomedToken)).body)) assert.ok(Date.now() - revokedAt < 1000, 'B still accepts the revoked token')
    t.diagnostic(`revoked token refused by B ${Date.now() - revokedAt} ms after the CLI returned`)

    // Async replaces of large photos, then A dies with some in flight; B finishes every ticket.
    const accepted = await flickrapi(news.map((data, i) => ({ op: 'replace', file: fileOf(`new-${i}.jpg`, data), photo_id: photoIds[i], async: true })))
    const tickets = accepted.map((result) => String(result.ticketid))
    a.child.kill('SIGKILL')
    await a.exited
    const waiting = (await checkTickets(b, { apiKey: consumer.key }, tickets)).filter((state) => state.complete === 0).length
    t.diagnostic(`SIGKILL of A with ${waiting} of ${PHOTOS} replaces unfinished`)
    assert.ok(waiting >= 1, 'every replace had finished before the kill: the test exercised nothing')
    const [final] = await flickrapi([{ op: 'checkTickets', tickets: tickets.join(','), wait: true, timeout: 90 }])
    const states = final!.tickets as Array<Record<string, string>>
    for (const state of states) assert.ok(state.complete === '1' || state.complete === '2', `ticket ${JSON.stringify(state)}`)
    await assertWhollyOldOrNew(photoIds, olds, news, states, env, dirs[1])
  })
})

/** Every photo's current files come from one revision, the old or the new picture, on every size. */
async function assertWhollyOldOrNew(ids: string[], olds: Buffer[], news: Buffer[], states: Array<Record<string, string>>, env: Record<string, string>, dataDir: string) {
  const services = await createServices(loadConfig({ overrides: { dataDir }, env }))
  try {
    for (const [i, id] of ids.entries()) {
      const photo = (await services.photos.byId(id))!
      const files = await services.photos.files(id, photo.revision)
      assert.equal(new Set(files.map((file) => file.blobKey.split('/').slice(0, 3).join('/'))).size, 1, `photo ${id}: one generation`)
      const read = async (key: string) => Buffer.concat(await (await services.blobs.get(key)).toArray())
      const original = await read(files.find((file) => file.suffix === 'o')!.blobKey)
      const replaced = original.equals(news[i]!)
      assert.ok(replaced || original.equals(olds[i]!), `photo ${id}: the original is the old or the new file`)
      assert.equal(replaced, states[i]!.complete === '1', `photo ${id}: replaced exactly when its ticket completed`)
      const [want, not] = replaced ? [news[i]!, olds[i]!] : [olds[i]!, news[i]!]
      for (const square of [false, true]) {
        const prints = [await fingerprint(want, { square }), await fingerprint(not, { square })] as const
        for (const file of files.filter((f) => f.suffix !== 'o' && (f.suffix === 's' || f.suffix === 'q') === square)) {
          await assertLooksLike(await read(file.blobKey), prints[0], prints[1], { message: `photo ${id} size ${file.suffix || 'medium'}` })
        }
      }
    }
    const incoming: string[] = []
    for await (const key of services.blobs.list('incoming/')) incoming.push(key)
    assert.deepEqual(incoming, [], 'no incoming blob outlives its job')
  } finally {
    await services.close()
  }
}
