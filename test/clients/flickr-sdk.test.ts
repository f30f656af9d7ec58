import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg, writeTemp } from '../helpers/images.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// npm's flickr-sdk 7, unmodified, against the test server through the driver (clients.md §b).

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DRIVER = fileURLToPath(new URL('./drivers/flickr-sdk-driver.mjs', import.meta.url))

type DriverOutput = { ok: true; result: Record<string, unknown> } | { ok: false; message: string; code: number | null; code_source?: string }

/** Runs the driver in its own process: NODE_EXTRA_CA_CERTS is read at start-up only. Async, so the in-process server keeps serving. */
async function flickrSdk(server: TestServer, env: Record<string, string>): Promise<DriverOutput> {
  const { stdout } = await run(process.execPath, [DRIVER], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_EXTRA_CA_CERTS: server.caFile, CA_FILE: server.caFile, BASE_URL: server.url, ...env },
    timeout: 30_000,
  })
  return JSON.parse(stdout.trim().split('\n').pop()!) as DriverOutput
}

/** `./bin/retake …` against the server's data folder, with no RETAKE_* variable from this process leaking in. */
async function cli(args: string[]): Promise<Record<string, string>> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RETAKE_')))
  const { stdout } = await run(`${ROOT}/bin/retake`, args, { cwd: ROOT, env, timeout: 60_000 })
  return JSON.parse(stdout) as Record<string, string>
}

const num = (value: unknown) => {
  assert.equal(typeof value, 'number', `expected a JSON number, got ${JSON.stringify(value)}`)
  return value as number
}

for (const backend of testBackends()) {
  describe(`flickr-sdk 7 (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let bob: TestUser
    let app: TestApp
    const tokens: Record<string, { token: string; secret: string }> = {}

    // The CLI reads its database from --data (SQLite) or RETAKE_DATABASE_URL; the PostgreSQL test
    // server lives in its own schema the CLI cannot name, so there the helper issues the token.
    async function issue(user: TestUser, perms: 'read' | 'write') {
      if (backend.name !== 'sqlite') return server.createToken(user, app, perms)
      const out = await cli(['token', 'create', '--data', server.dataDir, '--user', user.username, '--api-key', app.apiKey, '--perms', perms])
      return { token: out.oauth_token!, secret: out.oauth_token_secret! }
    }
    const as = (name: string, extra: Record<string, string> = {}) => ({
      API_KEY: app.apiKey,
      API_SECRET: app.secret,
      OAUTH_TOKEN: tokens[name]!.token,
      OAUTH_TOKEN_SECRET: tokens[name]!.secret,
      ...extra,
    })

    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUser('alice', { pro: true })
      bob = await server.createUser('bob', { pro: false })
      app = await server.createApp('alice', 'flickr-sdk')
      tokens.aliceRead = await issue(alice, 'read')
      tokens.aliceWrite = await issue(alice, 'write')
      tokens.bobRead = await issue(bob, 'read')
    })
    after(() => server.close())

    it('flickr.test.login with a token from `retake token create`', async () => {
      const out = await flickrSdk(server, as('aliceRead', { MODE: 'login' }))
      assert.ok(out.ok, JSON.stringify(out))
      const user = out.result.user as { id: string; username: { _content: string } }
      assert.equal(out.result.stat, 'ok')
      assert.equal(user.id, alice.nsid)
      assert.match(user.id, /^\d+@N\d\d$/)
      assert.deepEqual(user.username, { _content: 'alice' })
    })

    it('flickr.people.getUploadStatus: pro account, figures as JSON numbers', async () => {
      const out = await flickrSdk(server, as('aliceRead', { MODE: 'uploadStatus' }))
      assert.ok(out.ok, JSON.stringify(out))
      const user = out.result.user as Record<string, Record<string, unknown>> & { id: string; ispro: number }
      assert.equal(user.id, alice.nsid)
      assert.equal(user.ispro, 1)
      assert.deepEqual(user.username, { _content: 'alice' })
      const bw = user.bandwidth!
      assert.equal(num(bw.unlimited), 1)
      assert.equal(num(bw.maxbytes), 2147483648)
      assert.equal(num(bw.maxkb), 2097152)
      assert.equal(num(bw.usedbytes), 0)
      assert.equal(num(bw.remainingbytes), num(bw.maxbytes) - num(bw.usedbytes))
      assert.equal(num(bw.remainingkb), Math.floor(num(bw.remainingbytes) / 1024))
      assert.equal(num(user.filesize!.maxbytes), 200 * 1024 * 1024)
      assert.equal(num(user.filesize!.maxkb), 200 * 1024)
      assert.equal(user.sets!.remaining, 'lots')
    })

    it('flickr.people.getUploadStatus: free account shows the monthly allowance', async () => {
      const out = await flickrSdk(server, as('bobRead', { MODE: 'uploadStatus' }))
      assert.ok(out.ok, JSON.stringify(out))
      const user = out.result.user as Record<string, Record<string, unknown>> & { ispro: number }
      assert.equal(user.ispro, 0)
      assert.deepEqual(user.username, { _content: 'bob' })
      assert.equal(num(user.bandwidth!.maxbytes), 300 * 1024 * 1024)
      assert.equal(num(user.bandwidth!.maxkb), 300 * 1024)
      assert.equal(num(user.bandwidth!.unlimited), 0)
      assert.equal(num(user.bandwidth!.remainingbytes), 300 * 1024 * 1024)
    })

    it('errors carry Flickr codes: bad secret 96, unknown method 112, a read token on a write call 99', async () => {
      const bad = await flickrSdk(server, as('aliceRead', { MODE: 'login', API_SECRET: 'wrong' }))
      assert.deepEqual(bad, { ok: false, message: 'Invalid signature', code: 96, status: 200 })
      const unknown = await flickrSdk(server, as('aliceRead', { MODE: 'call', METHOD: 'flickr.nope', PARAMS: '{}' }))
      assert.deepEqual(unknown, { ok: false, message: 'Method "flickr.nope" not found', code: 112, status: 200 })
      // What a transport-only rewrite would do: sign https://api.flickr.com/… while calling Retake.
      const flickrUrl = await flickrSdk(server, as('aliceRead', { MODE: 'login', FLICKRSDK_SIGN_URL: 'flickr' }))
      assert.equal(flickrUrl.ok ? null : flickrUrl.code, 96)
      const file = writeTemp(await makeJpeg({ width: 64, height: 48, seed: 3 }), 'a.jpg')
      const denied = await flickrSdk(server, as('aliceRead', { MODE: 'upload', FILE: file }))
      assert.equal(denied.ok ? null : denied.code, 99)
    })

    it('the driver also uploads and replaces (later suites reuse it); upload codes come from the raw body', async () => {
      const first = writeTemp(await makeJpeg({ width: 320, height: 240, seed: 1 }), 'first.jpg')
      const second = writeTemp(await makeJpeg({ width: 320, height: 240, seed: 2 }), 'second.jpg')
      const uploaded = await flickrSdk(server, as('aliceWrite', { MODE: 'upload', FILE: first, TITLE: 'From flickr-sdk' }))
      assert.ok(uploaded.ok, JSON.stringify(uploaded))
      const id = uploaded.result.id as string
      assert.match(id, /^\d+$/)
      const replaced = await flickrSdk(server, as('aliceWrite', { MODE: 'replace', FILE: second, PHOTO_ID: id }))
      assert.ok(replaced.ok, JSON.stringify(replaced))
      assert.equal(replaced.result.id, id)
      assert.match(String(replaced.result.secret), /^[0-9a-f]{10}$/)
      assert.match(String(replaced.result.originalsecret), /^[0-9a-f]{10}$/)
      const missing = await flickrSdk(server, as('aliceWrite', { MODE: 'replace', FILE: second, PHOTO_ID: '1' }))
      assert.deepEqual(missing, { ok: false, message: 'Photo not found', code: 7, status: 200, code_source: 'raw-response' })
      const status = await flickrSdk(server, as('aliceRead', { MODE: 'uploadStatus' }))
      assert.ok(status.ok && num((status.result.user as Record<string, Record<string, unknown>>).bandwidth!.usedbytes) > 0, JSON.stringify(status))
    })
  })
}
