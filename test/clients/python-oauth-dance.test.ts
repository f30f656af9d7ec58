import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { getPage, pageCode, submitForm } from '../helpers/auth-pages.js'
import { testBackends } from '../helpers/backends.js'
import { PYTHON, pythonClientMissing } from '../helpers/python-client.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// Debian's python3-flickrapi 2.1.2, unmodified, performs the real OAuth dance against the test server;
// this test plays the user: it opens the authorize URL the client printed, signs in, approves, and
// types the oob verifier back into the client.

const DRIVER = fileURLToPath(new URL('./drivers/flickrapi_driver.py', import.meta.url))

const missing = pythonClientMissing()

/** The driver process, read line by line (one JSON object each). */
function startDriver(env: Record<string, string>) {
  const child = spawn(PYTHON, [DRIVER], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  return {
    async next(): Promise<Record<string, unknown>> {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`driver timed out; stderr:\n${stderr}`)), 30_000)
      })
      try {
        const line = await Promise.race([lines.next(), timeout])
        if (line.done) throw new Error(`driver ended early (exit ${await exited}); stderr:\n${stderr}`)
        return JSON.parse(line.value) as Record<string, unknown>
      } finally {
        clearTimeout(timer)
      }
    },
    send(line: string) {
      child.stdin.write(`${line}\n`)
    },
    exited,
    stop() {
      if (child.exitCode === null) child.kill()
    },
  }
}

for (const backend of testBackends()) {
  describe(`python3-flickrapi OAuth dance (${backend.name})`, { skip: missing }, () => {
    let server: TestServer
    let carol: TestUser
    let app: TestApp
    let home: string
    before(async () => {
      server = await startTestServer({ backend })
      carol = await server.createUser('carol', { fullname: 'Carol Jones' })
      app = await server.createApp('carol', 'flickrapi driver')
      // A throwaway HOME: the client must not read or write anyone's ~/.flickr.
      home = mkdtempSync(join(tmpdir(), 'retake-flickrapi-home-'))
    })
    after(async () => {
      await server.close()
      rmSync(home, { recursive: true, force: true })
    })

    it('get_request_token(oob) → authorize page → get_access_token(verifier) → test.login', async () => {
      const driver = startDriver({ BASE_URL: server.url, API_KEY: app.apiKey, API_SECRET: app.secret, CA_FILE: server.caFile, PERMS: 'write', HOME: home })
      try {
        const first = await driver.next()
        const authorizeUrl = String(first.authorize_url)
        assert.match(authorizeUrl, new RegExp(`^${server.url.replace(/\./g, '\\.')}/services/oauth/authorize\\?oauth_token=72157\\d{12}-[0-9a-f]{16}&perms=write$`))

        const page = await getPage(authorizeUrl, server.dispatcher)
        assert.equal(page.status, 200)
        assert.match(page.html, /flickrapi driver/)
        const done = await submitForm(server.url, page.html, { username: 'carol', password: carol.password, decision: 'approve' }, server.dispatcher)
        assert.equal(done.status, 200)
        const verifier = pageCode(done.html)
        assert.match(verifier ?? '', /^\d{3}-\d{3}-\d{3}$/)

        driver.send(verifier!)
        const result = await driver.next()
        assert.equal(result.error, undefined, `client error: ${JSON.stringify(result)}`)
        const access = result.access as Record<string, string>
        assert.match(access.token!, /^72157\d{12}-[0-9a-f]{16}$/)
        assert.match(access.token_secret!, /^[0-9a-f]{16}$/)
        assert.deepEqual(
          { level: access.access_level, fullname: access.fullname, username: access.username, nsid: access.user_nsid },
          { level: 'write', fullname: 'Carol Jones', username: 'carol', nsid: carol.nsid },
        )
        assert.deepEqual(result.login, { stat: 'ok', id: carol.nsid, username: 'carol' })
        assert.equal(result.token_valid, true)
        assert.equal(await driver.exited, 0)
      } finally {
        driver.stop()
      }
    })
  })
}
