import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { fetch, FormData } from 'undici'
import { testBackends } from '../helpers/backends.js'
import { oauthSigner, signedParams } from '../helpers/oauth-client.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// A signed request must leave no credential in the logs, whatever the level and wherever the client
// put it (pino's log-sink idea: capture the lines, parse them back, search them).

class LogSink extends Writable {
  readonly lines: string[] = []
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
    callback()
  }
}

type Placement = 'query' | 'header' | 'body' | 'multipart'

for (const backend of testBackends()) {
  for (const logLevel of ['info', 'debug'] as const) {
    describe(`logs hold no credentials at level ${logLevel} (${backend.name})`, () => {
      const sink = new LogSink()
      let server: TestServer
      let alice: TestUser
      let app: TestApp
      let token: { key: string; secret: string }
      let legacyToken: string
      /** Every credential a request carried: none may appear in the log text. */
      const secrets = new Set<string>()

      before(async () => {
        server = await startTestServer({ backend, logStream: sink, config: { logLevel } })
        alice = await server.createUser('alice', { pro: true, password: 'correct horse battery staple' })
        app = await server.createApp('alice')
        const issued = await server.createToken(alice, app, 'write')
        token = { key: issued.token, secret: issued.secret }
        legacyToken = (await server.createToken(alice, app, 'write', true)).token
        for (const secret of [app.secret, token.key, token.secret, legacyToken, alice.password]) secrets.add(secret)
      })
      after(() => server.close())

      async function oauthCall(placement: Placement, extra: { url?: string; params?: Record<string, string>; token?: { key: string; secret: string } | null } = {}) {
        const url = extra.url ?? `${server.url}/services/rest/`
        const method = placement === 'query' ? 'GET' : 'POST'
        const params = extra.params ?? { method: 'flickr.test.login', format: 'json', nojsoncallback: '1' }
        const callToken = extra.token === null ? undefined : (extra.token ?? token)
        const oauth = signedParams({ method, url, params, consumer: { key: app.apiKey, secret: app.secret }, token: callToken })
        secrets.add(oauth.oauth_signature!)
        const headers: Record<string, string> = {}
        const fields = Object.entries(params)
        if (placement === 'header') headers.authorization = oauthSigner({ key: app.apiKey, secret: app.secret }).toHeader(oauth as never).Authorization
        else fields.push(...Object.entries(oauth))
        let target = url
        let body: string | FormData | undefined
        if (placement === 'query') target += `?${new URLSearchParams(fields)}`
        else if (placement === 'multipart') {
          body = new FormData()
          for (const [k, v] of fields) body.append(k, v)
        } else {
          headers['content-type'] = 'application/x-www-form-urlencoded'
          body = new URLSearchParams(fields).toString()
        }
        const response = await fetch(target, { method, headers, body, dispatcher: server.dispatcher, redirect: 'manual' })
        return { status: response.status, text: await response.text(), location: response.headers.get('location') }
      }

      for (const placement of ['query', 'header', 'body', 'multipart'] as const) {
        it(`OAuth in the ${placement}: the call works`, async () => {
          const result = await oauthCall(placement)
          assert.equal(JSON.parse(result.text).stat, 'ok', result.text)
        })
      }

      it('OAuth in the query with percent-encoded parameter names (the server decodes them too)', async () => {
        const params = { method: 'flickr.test.login', format: 'json', nojsoncallback: '1' }
        const oauth = signedParams({ method: 'GET', url: `${server.url}/services/rest`, params, consumer: { key: app.apiKey, secret: app.secret }, token })
        secrets.add(oauth.oauth_signature!)
        const query = Object.entries({ ...params, ...oauth })
          .map(([k, v]) => `${k.replace(/_/g, '%5F')}=${encodeURIComponent(v)}`)
          .join('&')
        const response = await fetch(`${server.url}/services/rest?${query}`, { dispatcher: server.dispatcher })
        assert.equal(JSON.parse(await response.text()).stat, 'ok')
      })

      it('legacy api_sig and auth_token in the query (good and bad signatures)', async () => {
        const params: Record<string, string> = { method: 'flickr.test.login', api_key: app.apiKey, auth_token: legacyToken, format: 'json', nojsoncallback: '1' }
        const sorted = Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1))
        const apiSig = createHash('md5').update(app.secret + sorted.map(([k, v]) => k + v).join('')).digest('hex')
        secrets.add(apiSig)
        const good = await fetch(`${server.url}/services/rest?${new URLSearchParams({ ...params, api_sig: apiSig })}`, { dispatcher: server.dispatcher })
        assert.equal(JSON.parse(await good.text()).stat, 'ok')
        const bad = await fetch(`${server.url}/services/rest?${new URLSearchParams({ ...params, api_sig: 'f'.repeat(32) })}`, { dispatcher: server.dispatcher })
        assert.equal(JSON.parse(await bad.text()).code, 96)
      })

      it('the OAuth dance: request token, password sign-in, verifier, access token', async () => {
        const step1 = await oauthCall('query', { url: `${server.url}/services/oauth/request_token`, params: { oauth_callback: 'https://app.example/cb' }, token: null })
        const request = new URLSearchParams(step1.text)
        const requestToken = { key: request.get('oauth_token')!, secret: request.get('oauth_token_secret')! }
        assert.ok(requestToken.key && requestToken.secret, step1.text)
        secrets.add(requestToken.key).add(requestToken.secret)

        const page = await fetch(`${server.url}/services/oauth/authorize?oauth_token=${requestToken.key}&perms=write`, { dispatcher: server.dispatcher })
        const form = new URLSearchParams([...(await page.text()).matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m): [string, string] => [m[1]!, m[2]!]))
        form.append('username', 'alice')
        form.append('password', alice.password)
        form.append('decision', 'approve')
        const approved = await fetch(`${server.url}/services/oauth/authorize`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          dispatcher: server.dispatcher,
          redirect: 'manual',
        })
        const verifier = new URL(approved.headers.get('location') ?? 'x:/').searchParams.get('oauth_verifier')
        assert.ok(verifier, `no verifier after approval (HTTP ${approved.status})`)
        secrets.add(verifier)

        const step3 = await oauthCall('query', { url: `${server.url}/services/oauth/access_token`, params: { oauth_verifier: verifier }, token: requestToken })
        const access = new URLSearchParams(step3.text)
        assert.ok(access.get('oauth_token_secret'), step3.text)
        secrets.add(access.get('oauth_token')!).add(access.get('oauth_token_secret')!)
      })

      it('no captured line contains any credential, raw or URL-encoded', () => {
        assert.ok(sink.lines.length > 0, 'the log stream received nothing')
        const text = sink.lines.join('\n')
        for (const line of sink.lines) assert.doesNotThrow(() => JSON.parse(line), `not a JSON line: ${line}`)
        const parsed = sink.lines.map((line) => JSON.stringify(JSON.parse(line)))
        for (const secret of secrets) {
          // Base64 signatures get percent-encoded in URLs: their longest alphanumeric run survives either way.
          const core = secret.match(/[A-Za-z0-9]+/g)!.sort((a, b) => b.length - a.length)[0]!
          const forms = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), core.length >= 8 ? core : secret])
          for (const form of forms) {
            assert.ok(!text.includes(form), `log text leaks ${form}`)
            assert.ok(!parsed.some((line) => line.includes(form)), `a parsed log line leaks ${form}`)
          }
        }
        // The redacted URLs are still there, so the logs stay useful.
        assert.ok(text.includes('[Redacted]'), 'expected redacted request URLs in the log')
      })
    })
  }
}
