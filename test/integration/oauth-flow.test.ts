import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { getPage, hiddenFields, pageCode, submitForm } from '../helpers/auth-pages.js'
import { testBackends } from '../helpers/backends.js'
import { signedCall, signedParams } from '../helpers/oauth-client.js'
import { photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// The OAuth 1.0a dance over real TLS, signed by an independent implementation (oauth-1.0a), in the two
// wire styles clients use: flickr-sdk (GET, everything in the query) and python flickrapi (POST,
// oauth_callback in the query, the rest in the Authorization header, empty body).

type Style = 'query' | 'header'
type Step = 'request_token' | 'access_token'
interface Reply { status: number; body: string; contentType: string | null }
interface CallOptions {
  extra: Record<string, string>
  token?: { key: string; secret: string }
  consumer?: { key: string; secret: string }
  overrides?: Partial<Record<'oauth_timestamp' | 'oauth_nonce', string>>
  mangle?: boolean
}

const enc = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
const form = (body: string) => Object.fromEntries(new URLSearchParams(body))
const APP_NAME = 'Photo Sync <Test> & "Co"'

for (const backend of testBackends()) {
  describe(`OAuth 1.0a dance (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let app: TestApp
    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUser('alice', { fullname: 'Alice Liddell' })
      app = await server.createApp('alice', APP_NAME)
    })
    after(() => server.close())

    const consumer = () => ({ key: app.apiKey, secret: app.secret })

    async function call(step: Step, style: Style, options: CallOptions): Promise<Reply> {
      const url = `${server.url}/services/oauth/${step}`
      const common = { params: options.extra, consumer: options.consumer ?? consumer(), token: options.token, oauthOverrides: options.overrides, mangleSignature: options.mangle }
      if (style === 'query') {
        const r = await signedCall({ ...common, method: 'GET', url, placement: 'query', dispatcher: server.dispatcher })
        return { status: r.status, body: r.body, contentType: r.headers.get('content-type') }
      }
      // python flickrapi: only oauth_callback travels in the query; everything else is in the header.
      const oauth = { ...signedParams({ ...common, method: 'POST', url }), ...options.extra }
      const query = 'oauth_callback' in oauth ? `?oauth_callback=${enc(oauth.oauth_callback!)}` : ''
      const header = Object.entries(oauth)
        .filter(([name]) => name !== 'oauth_callback')
        .map(([name, value]) => `${enc(name)}="${enc(value)}"`)
        .join(', ')
      const response = await fetch(`${url}${query}`, { method: 'POST', headers: { authorization: `OAuth ${header}` }, dispatcher: server.dispatcher })
      return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') }
    }

    async function requestToken(style: Style, callback = 'oob', overrides?: CallOptions['overrides']) {
      const reply = await call('request_token', style, { extra: { oauth_callback: callback }, overrides })
      assert.equal(reply.status, 200, reply.body)
      const fields = form(reply.body)
      assert.equal(fields.oauth_callback_confirmed, 'true')
      assert.match(reply.body, /^oauth_callback_confirmed=true&oauth_token=72157\d{12}-[0-9a-f]{16}&oauth_token_secret=[0-9a-f]{16}$/)
      return { key: fields.oauth_token!, secret: fields.oauth_token_secret! }
    }

    /** Signs in on the authorize page and approves; returns the final response. */
    async function approve(token: string, perms?: string, password = alice.password) {
      const page = await getPage(`${server.url}/services/oauth/authorize?oauth_token=${token}${perms ? `&perms=${perms}` : ''}`, server.dispatcher)
      assert.equal(page.status, 200)
      return submitForm(server.url, page.html, { username: 'alice', password, decision: 'approve' }, server.dispatcher)
    }

    function assertProblem(reply: Reply, expected: string | RegExp) {
      assert.equal(reply.status, 401, reply.body)
      assert.equal(reply.contentType, 'text/plain;charset=UTF-8')
      if (typeof expected === 'string') assert.equal(reply.body, expected)
      else assert.match(reply.body, expected)
    }

    async function restJson(params: Record<string, string>, token: { key: string; secret: string }) {
      const r = await signedCall({
        method: 'GET', url: `${server.url}/services/rest`, params: { ...params, format: 'json', nojsoncallback: '1' },
        consumer: consumer(), token, placement: 'query', dispatcher: server.dispatcher,
      })
      assert.equal(r.status, 200)
      return JSON.parse(r.body) as Record<string, unknown>
    }

    it('flickr-sdk style: GET with query, oob verifier, write token', async () => {
      const rt = await requestToken('query')
      const page = await getPage(`${server.url}/services/oauth/authorize?perms=write&oauth_token=${rt.key}`, server.dispatcher)
      assert.equal(page.status, 200)
      assert.equal(page.headers.get('x-frame-options'), 'DENY')
      assert.match(page.html, /Photo Sync &#60;Test&#62; &#38; &#34;Co&#34;/)
      assert.ok(!page.html.includes('<Test>'), 'app name escaped')
      assert.match(page.html, /<strong>write<\/strong>/)
      assert.match(page.html, /name="username"/)
      assert.match(page.html, /type="password"/)
      assert.deepEqual(hiddenFields(page.html), [['oauth_token', rt.key], ['perms', 'write']])

      const done = await submitForm(server.url, page.html, { username: 'alice', password: alice.password, decision: 'approve' }, server.dispatcher)
      assert.equal(done.status, 200)
      const verifier = pageCode(done.html)
      assert.match(verifier ?? '', /^\d{3}-\d{3}-\d{3}$/)

      const access = await call('access_token', 'query', { extra: { oauth_verifier: verifier! }, token: rt })
      assert.equal(access.status, 200, access.body)
      const nsid = alice.nsid.replace('@', '%40')
      assert.match(access.body, new RegExp(`^fullname=Alice%20Liddell&oauth_token=72157\\d{12}-[0-9a-f]{16}&oauth_token_secret=[0-9a-f]{16}&user_nsid=${nsid}&username=alice$`))
      const fields = form(access.body)
      const token = { key: fields.oauth_token!, secret: fields.oauth_token_secret! }

      assert.deepEqual(await restJson({ method: 'flickr.test.login' }, token), { user: { id: alice.nsid, username: { _content: 'alice' } }, stat: 'ok' })
      assert.deepEqual(await restJson({ method: 'flickr.auth.oauth.checkToken' }, token), {
        oauth: { token: { _content: token.key }, perms: { _content: 'write' }, user: { nsid: alice.nsid, username: 'alice', fullname: 'Alice Liddell' } },
        stat: 'ok',
      })

      // The request token and its verifier are single use.
      assertProblem(await call('access_token', 'query', { extra: { oauth_verifier: verifier! }, token: rt }), 'oauth_problem=token_rejected')
    })

    it('python style: POST with header, callback URL redirect, perms default to read', async () => {
      const rt = await requestToken('header', 'https://app.example/cb?state=a%20b#frag')
      const page = await getPage(`${server.url}/services/oauth/authorize?oauth_token=${rt.key}`, server.dispatcher)
      assert.match(page.html, /<strong>read<\/strong>/)
      const done = await submitForm(server.url, page.html, { username: 'alice', password: alice.password, decision: 'approve' }, server.dispatcher)
      assert.ok(done.status === 302 || done.status === 303, `redirect, got ${done.status}`)
      const location = new URL(done.location!)
      assert.equal(`${location.origin}${location.pathname}`, 'https://app.example/cb')
      assert.equal(location.searchParams.get('state'), 'a b')
      assert.equal(location.searchParams.get('oauth_token'), rt.key)
      assert.equal(location.hash, '#frag')
      const verifier = location.searchParams.get('oauth_verifier')!
      assert.match(verifier, /^[0-9a-f]{32}$/)

      // A wrong verifier is refused without using up the request token.
      assertProblem(await call('access_token', 'header', { extra: { oauth_verifier: '0123456789abcdef' }, token: rt }), 'oauth_problem=verifier_invalid')
      const access = await call('access_token', 'header', { extra: { oauth_verifier: verifier }, token: rt })
      assert.equal(access.status, 200, access.body)
      const fields = form(access.body)
      const token = { key: fields.oauth_token!, secret: fields.oauth_token_secret! }
      assert.equal(fields.user_nsid, alice.nsid)

      const check = await restJson({ method: 'flickr.auth.oauth.checkToken' }, token)
      assert.deepEqual((check.oauth as { perms: unknown }).perms, { _content: 'read' })
      assert.equal((await restJson({ method: 'flickr.test.login' }, token)).stat, 'ok')
      // A read token may not upload (write).
      const upload = await photoCall({ url: `${server.url}/services/upload`, fields: { title: 't' }, file: { data: Buffer.from('not really a jpeg') }, consumer: consumer(), token, dispatcher: server.dispatcher })
      assert.match(upload.body, /<err code="99" /)

      assertProblem(await call('access_token', 'header', { extra: { oauth_verifier: verifier }, token: rt }), 'oauth_problem=token_rejected')
    })

    it('deny shows a page, returns no verifier, and kills the request token', async () => {
      for (const callback of ['oob', 'https://app.example/cb']) {
        const rt = await requestToken('query', callback)
        const page = await getPage(`${server.url}/services/oauth/authorize?oauth_token=${rt.key}&perms=delete`, server.dispatcher)
        const denied = await submitForm(server.url, page.html, { decision: 'deny' }, server.dispatcher)
        assert.equal(denied.status, 200)
        assert.equal(denied.location, null)
        assert.match(denied.html, /Access denied/)
        assert.equal(pageCode(denied.html), undefined)
        assert.ok(!denied.html.includes('oauth_verifier'))
        assertProblem(await call('access_token', 'query', { extra: { oauth_verifier: '123-456-789' }, token: rt }), 'oauth_problem=token_rejected')
        const again = await getPage(`${server.url}/services/oauth/authorize?oauth_token=${rt.key}`, server.dispatcher)
        assert.equal(again.status, 400)
      }
    })

    it('a wrong password re-shows the form with an error; the right one then works', async () => {
      const rt = await requestToken('query')
      const wrong = await approve(rt.key, 'write', 'not-the-password')
      assert.equal(wrong.status, 401)
      assert.match(wrong.html, /Wrong username or password/)
      assert.match(wrong.html, /value="alice"/)
      assert.deepEqual(hiddenFields(wrong.html), [['oauth_token', rt.key], ['perms', 'write']])
      // Access before approval is refused.
      assertProblem(await call('access_token', 'query', { extra: { oauth_verifier: '123-456-789' }, token: rt }), 'oauth_problem=permission_unknown')
      const right = await submitForm(server.url, wrong.html, { username: 'alice', password: alice.password, decision: 'approve' }, server.dispatcher)
      assert.equal(right.status, 200)
      // People may type the code without dashes.
      const verifier = pageCode(right.html)!.replace(/-/g, '')
      assert.equal((await call('access_token', 'query', { extra: { oauth_verifier: verifier }, token: rt })).status, 200)
    })

    it('answers missing parameters with parameter_absent in Flickr\'s order', async () => {
      const bare = await fetch(`${server.url}/services/oauth/request_token`, { dispatcher: server.dispatcher })
      assertProblem(
        { status: bare.status, body: await bare.text(), contentType: bare.headers.get('content-type') },
        'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_consumer_key%26oauth_signature%26oauth_signature_method%26oauth_nonce%26oauth_timestamp%26oauth_callback',
      )
      assertProblem(await call('request_token', 'query', { extra: {} }), 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_callback')
      const rt = await requestToken('header')
      assertProblem(await call('access_token', 'header', { extra: {}, token: rt }), 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_verifier')
    })

    it('rejects a bad signature with the base string, an unknown consumer and an unknown token', async () => {
      for (const style of ['query', 'header'] as const) {
        const reply = await call('request_token', style, { extra: { oauth_callback: 'oob' }, mangle: true })
        const method = style === 'query' ? 'GET' : 'POST'
        const url = enc(`${server.url}/services/oauth/request_token`)
        assertProblem(reply, new RegExp(`^oauth_problem=signature_invalid&debug_sbs=${method}&${url}&oauth_callback%3Doob%26oauth_consumer_key%3D${app.apiKey}%26`))
      }
      assertProblem(await call('request_token', 'query', { extra: { oauth_callback: 'oob' }, consumer: { key: 'f'.repeat(32), secret: 'x' } }), 'oauth_problem=consumer_key_unknown')
      assertProblem(
        await call('access_token', 'query', { extra: { oauth_verifier: '1' }, token: { key: '72157000000000000-0000000000000000', secret: 'x' } }),
        'oauth_problem=token_rejected',
      )
      // Another app's consumer secret cannot use this app's request token.
      const other = await server.createApp('alice', 'Other')
      const rt = await requestToken('query')
      assertProblem(await call('access_token', 'query', { extra: { oauth_verifier: '1' }, token: rt, consumer: { key: other.apiKey, secret: other.secret } }), 'oauth_problem=token_rejected')
    })

    it('refuses timestamps outside the window', async () => {
      const window = server.config.oauthTimestampWindowSeconds
      for (const offset of [-(window + 60), window + 60]) {
        const timestamp = String(Math.floor(Date.now() / 1000) + offset)
        const reply = await call('request_token', 'query', { extra: { oauth_callback: 'oob' }, overrides: { oauth_timestamp: timestamp } })
        assertProblem(reply, /^oauth_problem=timestamp_refused&oauth_acceptable_timestamps=\d+-\d+$/)
      }
    })

    it('refuses a reused nonce, but accepts the Perl reuse across request_token and access_token', async () => {
      const overrides = { oauth_nonce: `n${Date.now()}`, oauth_timestamp: String(Math.floor(Date.now() / 1000)) }
      const rt = await requestToken('query', 'oob', overrides)
      assertProblem(await call('request_token', 'query', { extra: { oauth_callback: 'oob' }, overrides }), 'oauth_problem=nonce_used')
      const verifier = pageCode((await approve(rt.key, 'write')).html)!
      // Same consumer, nonce and timestamp, different token: Perl Flickr::API does exactly this.
      const access = await call('access_token', 'header', { extra: { oauth_verifier: verifier }, token: rt, overrides })
      assert.equal(access.status, 200, access.body)
    })

    it('accepts the trailing-slash URLs and signs over the URL as used', async () => {
      const reply = await signedCall({
        method: 'GET', url: `${server.url}/services/oauth/request_token/`, params: { oauth_callback: 'oob' },
        consumer: consumer(), placement: 'query', dispatcher: server.dispatcher,
      })
      assert.equal(reply.status, 200, reply.body)
    })

    it('rejects callbacks that are not URLs and authorize requests for unknown tokens', async () => {
      assertProblem(await call('request_token', 'query', { extra: { oauth_callback: 'javascript:alert(1)' } }), 'oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_callback')
      assertProblem(await call('request_token', 'query', { extra: { oauth_callback: 'not a url' } }), 'oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_callback')
      const page = await getPage(`${server.url}/services/oauth/authorize?oauth_token=%3Cscript%3E`, server.dispatcher)
      assert.equal(page.status, 400)
      assert.ok(!page.html.includes('<script>'))
      const rt = await requestToken('query')
      const badPerms = await getPage(`${server.url}/services/oauth/authorize?oauth_token=${rt.key}&perms=%3Cb%3Eall`, server.dispatcher)
      assert.equal(badPerms.status, 400)
      assert.match(badPerms.html, /&#60;b&#62;all/)
    })
  })
}
