import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { fetch, FormData } from 'undici'
import { createMethodRegistry } from '../../src/api/index.js'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg } from '../helpers/images.js'
import { oauthSigner, signedCall, signedParams, type SignedCallOptions } from '../helpers/oauth-client.js'
import { photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// Every foundation error code through the real TLS stack, in each response format, byte for byte.
type Format = 'xml' | 'json' | 'jsonp' | 'callback'
const FORMATS: Record<Format, Record<string, string>> = {
  xml: {},
  json: { format: 'json', nojsoncallback: '1' },
  jsonp: { format: 'json' },
  callback: { format: 'json', jsoncallback: 'foo' },
}
type Params = Record<string, string>
type Result = { status: number; body: string; headers: { get(name: string): string | null } }

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const xmlFailure = (code: number, msg: string) =>
  `<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="fail">\n\t<err code="${code}" msg="${xmlEscape(msg)}" />\n</rsp>\n`
// Flickr escapes "/" inside JSON strings.
const jsonFailure = (code: number, msg: string) => JSON.stringify({ stat: 'fail', code, message: msg }).replace(/\//g, '\\/')

function assertFailure(result: Result, format: Format, code: number, msg: string): void {
  assert.equal(result.status, 200, 'Flickr answers stat="fail" with HTTP 200')
  const expected = {
    xml: [xmlFailure(code, msg), 'text/xml; charset=utf-8'],
    json: [jsonFailure(code, msg), 'application/json; charset=utf-8'],
    jsonp: [`jsonFlickrApi(${jsonFailure(code, msg)})`, 'text/javascript; charset=utf-8'],
    callback: [`foo(${jsonFailure(code, msg)})`, 'text/javascript; charset=utf-8'],
  }[format]
  assert.equal(result.body, expected[0])
  assert.equal(result.headers.get('content-type'), expected[1])
}

/** Legacy api_sig, computed independently of src/auth/api-sig.ts: md5(secret + sorted name/value pairs). */
function withApiSig(secret: string, params: Params): Params {
  const sorted = Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const apiSig = createHash('md5').update(secret + sorted.map(([k, v]) => k + v).join('')).digest('hex')
  return { ...params, api_sig: apiSig }
}

const ERR_99_READ = 'Insufficient permissions. Method requires read privileges; none granted.'
const ERR_100 = 'Invalid API Key (Key has invalid format)'
const now = () => Math.floor(Date.now() / 1000)

for (const backend of testBackends()) {
  describe(`REST errors (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let app: TestApp
    let read: { key: string; secret: string }
    let write: { key: string; secret: string }
    let del: { key: string; secret: string }
    let legacy: string
    const consumer = () => ({ key: app.apiKey, secret: app.secret })

    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUser('alice', { pro: true })
      app = await server.createApp('alice')
      const r = await server.createToken(alice, app, 'read')
      const w = await server.createToken(alice, app, 'write')
      read = { key: r.token, secret: r.secret }
      write = { key: w.token, secret: w.secret }
      const d = await server.createToken(alice, app, 'delete')
      del = { key: d.token, secret: d.secret }
      legacy = (await server.createToken(alice, app, 'write', true)).token
    })
    after(() => server.close())

    const get = async (params: Params, base = server.url, init: { headers?: Record<string, string> } = {}): Promise<Result> => {
      const response = await fetch(`${base}/services/rest?${new URLSearchParams(params)}`, { dispatcher: server.dispatcher, ...init })
      return { status: response.status, body: await response.text(), headers: response.headers }
    }
    const oauth = (params: Params, options: Partial<SignedCallOptions> = {}) =>
      signedCall({ method: 'GET', url: `${server.url}/services/rest`, params, consumer: consumer(), token: read, placement: 'query', dispatcher: server.dispatcher, ...options })

    // One row per way of provoking a code; each row is checked in all four response formats.
    const cases: Array<{ name: string; code: number; msg: string; call: (format: Params) => Promise<Result> }> = [
      { name: 'plain HTTP on /services/rest', code: 95, msg: 'SSL is required', call: (f) => get({ method: 'flickr.test.echo', api_key: app.apiKey, ...f }, server.httpUrl!) },
      {
        name: 'X-Forwarded-Proto is ignored without trustProxy',
        code: 95,
        msg: 'SSL is required',
        call: (f) => get({ method: 'flickr.test.echo', api_key: app.apiKey, ...f }, server.httpUrl!, { headers: { 'x-forwarded-proto': 'https' } }),
      },
      { name: 'bad OAuth signature', code: 96, msg: 'Invalid signature', call: (f) => oauth({ method: 'flickr.test.login', ...f }, { mangleSignature: true }) },
      { name: 'bad api_sig', code: 96, msg: 'Invalid signature', call: (f) => get(withApiSig('wrong', { method: 'flickr.test.login', api_key: app.apiKey, auth_token: legacy, ...f })) },
      {
        name: 'oauth_timestamp 16 minutes old',
        code: 96,
        msg: 'Invalid signature',
        call: (f) => oauth({ method: 'flickr.test.login', ...f }, { oauthOverrides: { oauth_timestamp: String(now() - 16 * 60) } }),
      },
      {
        name: 'oauth_timestamp 16 minutes ahead',
        code: 96,
        msg: 'Invalid signature',
        call: (f) => oauth({ method: 'flickr.test.login', ...f }, { oauthOverrides: { oauth_timestamp: String(now() + 16 * 60) } }),
      },
      {
        name: 'oauth_token without oauth_signature',
        code: 97,
        msg: 'Missing signature',
        call: (f) => {
          const { oauth_signature: _dropped, ...unsigned } = signedParams({ method: 'GET', url: `${server.url}/services/rest`, params: {}, consumer: consumer(), token: read })
          return get({ method: 'flickr.test.login', ...f, ...unsigned })
        },
      },
      { name: 'auth_token without api_sig', code: 97, msg: 'Missing signature', call: (f) => get({ method: 'flickr.test.login', api_key: app.apiKey, auth_token: legacy, ...f }) },
      // No token at all: the call is not missing a signature, it is missing a user.
      {
        name: 'a method that needs a user, called with only api_key',
        code: 99,
        msg: 'Insufficient permissions. Method requires read privileges; none granted.',
        call: (f) => get({ method: 'flickr.test.login', api_key: app.apiKey, ...f }),
      },
      { name: 'unsigned call to a method that must be signed but needs no user', code: 97, msg: 'Missing signature', call: (f) => get({ method: 'flickr.auth.getFrob', api_key: app.apiKey, ...f }) },
      { name: 'oauth_token without a signature', code: 97, msg: 'Missing signature', call: (f) => get({ method: 'flickr.test.login', api_key: app.apiKey, oauth_token: read.key, ...f }) },
      {
        name: 'unknown oauth_token',
        code: 98,
        msg: 'Invalid auth token',
        call: (f) => oauth({ method: 'flickr.test.login', ...f }, { token: { key: '72157600000000000-0123456789abcdef', secret: '0123456789abcdef' } }),
      },
      { name: 'unknown auth_token', code: 98, msg: 'Invalid auth token', call: (f) => get(withApiSig(app.secret, { method: 'flickr.test.login', api_key: app.apiKey, auth_token: 'nope', ...f })) },
      { name: 'an OAuth token used as auth_token', code: 98, msg: 'Invalid auth token', call: (f) => get(withApiSig(app.secret, { method: 'flickr.test.login', api_key: app.apiKey, auth_token: read.key, ...f })) },
      { name: 'flickr.test.login signed with api_sig but no user', code: 99, msg: ERR_99_READ, call: (f) => get(withApiSig(app.secret, { method: 'flickr.test.login', api_key: app.apiKey, ...f })) },
      { name: 'flickr.test.login signed two-legged (OAuth, no token)', code: 99, msg: ERR_99_READ, call: (f) => oauth({ method: 'flickr.test.login', ...f }, { token: undefined }) },
      {
        name: 'unknown consumer key',
        code: 100,
        msg: ERR_100,
        call: (f) => oauth({ method: 'flickr.test.login', ...f }, { consumer: { key: '0123456789abcdef0123456789abcdef', secret: 'abc' }, token: undefined }),
      },
      { name: 'unknown api_key', code: 100, msg: ERR_100, call: (f) => get({ method: 'flickr.test.echo', api_key: '0123456789abcdef0123456789abcdef', ...f }) },
      { name: 'missing api_key', code: 100, msg: ERR_100, call: (f) => get({ method: 'flickr.test.echo', ...f }) },
      { name: 'unknown method', code: 112, msg: 'Method "flickr.photos.nope" not found', call: (f) => get({ method: 'flickr.photos.nope', api_key: app.apiKey, ...f }) },
      { name: 'no method at all', code: 112, msg: 'Method "" not found', call: (f) => get({ api_key: app.apiKey, ...f }) },
    ]
    for (const c of cases) {
      it(`${c.code}: ${c.name}`, async () => {
        for (const format of Object.keys(FORMATS) as Format[]) assertFailure(await c.call(FORMATS[format]), format, c.code, c.msg)
      })
    }

    it('111: an unknown format is answered in XML', async () => {
      for (const format of ['xmlrpc', 'soap', 'php_serial', 'xml-rpc']) {
        assertFailure(await get({ method: 'flickr.test.echo', api_key: app.apiKey, format }), 'xml', 111, `Format "${format}" not found`)
      }
    })

    it('95: plain HTTP on /services/upload, and a page is redirected (301) to https', async () => {
      const form = new FormData()
      form.append('api_key', app.apiKey)
      const upload = await fetch(`${server.httpUrl}/services/upload/`, { method: 'POST', body: form })
      assertFailure({ status: upload.status, body: await upload.text(), headers: upload.headers }, 'xml', 95, 'SSL is required')
      const page = await fetch(`${server.httpUrl}/photos/alice/?x=1`, { redirect: 'manual' })
      assert.equal(page.status, 301)
      assert.equal(page.headers.get('location'), `${server.url}/photos/alice/?x=1`)
    })

    it('99: a read token on a write method (upload endpoint, and any REST write method)', async () => {
      const upload = await photoCall({ url: `${server.url}/services/upload`, fields: {}, file: { data: await makeJpeg({ width: 32, height: 32 }) }, consumer: consumer(), token: read, dispatcher: server.dispatcher })
      assertFailure({ ...upload, headers: { get: () => 'text/xml; charset=utf-8' } }, 'xml', 99, 'Insufficient permissions. Method requires write privileges; read granted.')
      // Every REST method needing more than read, whichever exist when the test runs.
      for (const method of createMethodRegistry().all().filter((m) => m.perms === 'write' || m.perms === 'delete')) {
        for (const format of Object.keys(FORMATS) as Format[]) {
          const msg = `Insufficient permissions. Method requires ${method.perms} privileges; read granted.`
          assertFailure(await oauth({ method: method.name, ...FORMATS[format] }), format, 99, msg)
        }
      }
    })

    it('105: maintenance mode refuses writes and keeps reads working', async () => {
      const settings = server.running.services.settings
      await settings.setReadOnly(true)
      try {
        const jpeg = await makeJpeg({ width: 32, height: 32 })
        const upload = await photoCall({ url: `${server.url}/services/upload`, fields: {}, file: { data: jpeg }, consumer: consumer(), token: write, dispatcher: server.dispatcher })
        assert.equal(upload.body, xmlFailure(105, 'Service currently unavailable'))
        for (const method of createMethodRegistry().all().filter((m) => m.writes)) {
          for (const format of Object.keys(FORMATS) as Format[]) {
            assertFailure(await oauth({ method: method.name, ...FORMATS[format] }, { token: del }), format, 105, 'Service currently unavailable')
          }
        }
        const login = await oauth({ method: 'flickr.test.login', format: 'json', nojsoncallback: '1' })
        assert.equal(JSON.parse(login.body).stat, 'ok', login.body)
      } finally {
        await settings.setReadOnly(false)
      }
      const upload = await photoCall({ url: `${server.url}/services/upload`, fields: {}, file: { data: await makeJpeg({ width: 32, height: 32 }) }, consumer: consumer(), token: write, dispatcher: server.dispatcher })
      assert.match(upload.body, /<rsp stat="ok">\n<photoid>\d+<\/photoid>/)
    })

    it('116: a URL on a blocklisted host or a subdomain of it; other hosts pass', async () => {
      const settings = server.running.services.settings
      await settings.blockHost('evil.example')
      try {
        for (const format of Object.keys(FORMATS) as Format[]) {
          const echo = await get({ method: 'flickr.test.echo', api_key: app.apiKey, text: 'see https://www.evil.example/x', ...FORMATS[format] })
          assertFailure(echo, format, 116, 'Bad URL found')
        }
        for (const text of ['http://evil.example', 'go to www.a.b.evil.example now', 'https://EVIL.example./x']) {
          assertFailure(await get({ method: 'flickr.test.echo', api_key: app.apiKey, text }), 'xml', 116, 'Bad URL found')
        }
        assertFailure(await oauth({ method: 'flickr.test.login', note: 'https://www.evil.example/x' }), 'xml', 116, 'Bad URL found')
        for (const text of ['https://notevil.example/x', 'https://evil.example.org/', 'evil.example without a scheme']) {
          const echo = await get({ method: 'flickr.test.echo', api_key: app.apiKey, text, format: 'json', nojsoncallback: '1' })
          assert.equal(JSON.parse(echo.body).stat, 'ok', `${text}: ${echo.body}`)
        }
      } finally {
        await settings.unblockHost('evil.example')
      }
    })

    it('96: a nonce reused with the same consumer, token and timestamp; another token may reuse it', async () => {
      const overrides = { oauth_nonce: `n-${Math.random()}`, oauth_timestamp: String(now()) }
      const params = { method: 'flickr.test.login', format: 'json', nojsoncallback: '1' }
      assert.equal(JSON.parse((await oauth(params, { oauthOverrides: overrides })).body).stat, 'ok')
      assertFailure(await oauth({ ...params }, { oauthOverrides: overrides }), 'json', 96, 'Invalid signature')
      // Perl Flickr::API reuses the request-token call's nonce and timestamp with a different token.
      const other = await oauth(params, { oauthOverrides: overrides, token: write })
      assert.equal(JSON.parse(other.body).stat, 'ok', other.body)
    })

    for (const slash of ['', '/']) {
      const variants: Array<[string, () => Promise<Result>]> = [
        ['GET, OAuth in the query', () => oauth(loginJson(), { url: `${server.url}/services/rest${slash}` })],
        ['POST urlencoded', () => oauth(loginJson(), { url: `${server.url}/services/rest${slash}`, method: 'POST', placement: 'body' })],
        ['POST multipart', () => oauth(loginJson(), { url: `${server.url}/services/rest${slash}`, method: 'POST', placement: 'multipart' })],
        ['POST, OAuth header', () => oauth(loginJson(), { url: `${server.url}/services/rest${slash}`, method: 'POST', placement: 'header' })],
        ['python-style POST: params in the query, empty body', () => pythonStyle(`${server.url}/services/rest${slash}`)],
      ]
      for (const [name, call] of variants) {
        it(`flickr.test.login at /services/rest${slash}: ${name}`, async () => {
          const result = await call()
          assert.equal(result.status, 200)
          assert.deepEqual(JSON.parse(result.body), { user: { id: alice.nsid, username: { _content: 'alice' } }, stat: 'ok' })
        })
      }
    }

    function loginJson(): Params {
      return { method: 'flickr.test.login', format: 'json', nojsoncallback: '1' }
    }

    // python flickrapi: POST with every argument in the query, OAuth in the header, no body at all.
    async function pythonStyle(url: string): Promise<Result> {
      const params = loginJson()
      const oauthParams = signedParams({ method: 'POST', url, params, consumer: consumer(), token: read })
      const authorization = oauthSigner(consumer()).toHeader(oauthParams as never).Authorization
      const response = await fetch(`${url}?${new URLSearchParams(params)}`, { method: 'POST', headers: { authorization }, dispatcher: server.dispatcher })
      return { status: response.status, body: await response.text(), headers: response.headers }
    }
  })

  describe(`REST errors with readOnly and trustProxy in the config (${backend.name})`, () => {
    let server: TestServer
    let app: TestApp
    let write: { key: string; secret: string }
    before(async () => {
      server = await startTestServer({ backend, config: { readOnly: true, trustProxy: true } })
      const bob = await server.createUser('bob', { pro: true })
      app = await server.createApp('bob')
      const token = await server.createToken(bob, app, 'write')
      write = { key: token.token, secret: token.secret }
    })
    after(() => server.close())

    it('105: readOnly config refuses an upload; reads work; the run-time switch cannot turn it off', async () => {
      await server.running.services.settings.setReadOnly(false)
      const jpeg = await makeJpeg({ width: 32, height: 32 })
      const upload = await photoCall({ url: `${server.url}/services/upload/`, fields: {}, file: { data: jpeg }, consumer: { key: app.apiKey, secret: app.secret }, token: write, dispatcher: server.dispatcher })
      assert.equal(upload.body, xmlFailure(105, 'Service currently unavailable'))
      const login = await signedCall({
        method: 'GET',
        url: `${server.url}/services/rest/`,
        params: { method: 'flickr.test.login', format: 'json', nojsoncallback: '1' },
        consumer: { key: app.apiKey, secret: app.secret },
        token: write,
        placement: 'query',
        dispatcher: server.dispatcher,
      })
      assert.equal(JSON.parse(login.body).stat, 'ok', login.body)
    })

    it('plain HTTP passes when a trusted proxy says X-Forwarded-Proto: https, and is 95 without it', async () => {
      const url = `${server.httpUrl}/services/rest?method=flickr.test.echo&api_key=${app.apiKey}&format=json&nojsoncallback=1`
      const proxied = await fetch(url, { headers: { 'x-forwarded-proto': 'https' } })
      assert.equal(proxied.status, 200)
      assert.equal(JSON.parse(await proxied.text()).stat, 'ok')
      const direct = await fetch(url)
      assert.equal(await direct.text(), jsonFailure(95, 'SSL is required'))
    })
  })
}
