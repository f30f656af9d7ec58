import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { apiSig } from '../../src/auth/api-sig.js'
import { getPage, hiddenFields, pageCode, submitForm } from '../helpers/auth-pages.js'
import { testBackends } from '../helpers/backends.js'
import { signedCall } from '../helpers/oauth-client.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// Flickr's pre-OAuth authentication (reference §4.6) end to end over TLS: frobs, the auth page, api_sig.

/** RFC 1321 MD5, written out here so the api_sig check does not lean on the code under test. */
function md5Hex(text: string): string {
  const bytes = [...Buffer.from(text, 'utf8')]
  const bitLength = bytes.length * 8
  bytes.push(0x80)
  while (bytes.length % 64 !== 56) bytes.push(0)
  for (let i = 0; i < 8; i++) bytes.push(i < 4 ? (bitLength >>> (8 * i)) & 0xff : 0)
  const shifts = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
  const k = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0)
  let [a0, b0, c0, d0] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]
  for (let chunk = 0; chunk < bytes.length; chunk += 64) {
    const m = Array.from({ length: 16 }, (_, i) => bytes[chunk + 4 * i]! | (bytes[chunk + 4 * i + 1]! << 8) | (bytes[chunk + 4 * i + 2]! << 16) | (bytes[chunk + 4 * i + 3]! << 24))
    let [a, b, c, d] = [a0, b0, c0, d0]
    for (let i = 0; i < 64; i++) {
      const round = i >> 4
      const f = round === 0 ? (b & c) | (~b & d) : round === 1 ? (d & b) | (~d & c) : round === 2 ? b ^ c ^ d : c ^ (b | ~d)
      const g = round === 0 ? i : round === 1 ? (5 * i + 1) % 16 : round === 2 ? (3 * i + 5) % 16 : (7 * i) % 16
      const sum = (a + f + k[i]! + m[g]!) | 0
      const s = shifts[round * 4 + (i % 4)]!
      ;[a, d, c] = [d, c, b]
      b = (b + ((sum << s) | (sum >>> (32 - s)))) | 0
    }
    ;[a0, b0, c0, d0] = [(a0 + a) | 0, (b0 + b) | 0, (c0 + c) | 0, (d0 + d) | 0]
  }
  return [a0, b0, c0, d0].map((word) => [0, 8, 16, 24].map((shift) => ((word >>> shift) & 0xff).toString(16).padStart(2, '0')).join('')).join('')
}

/** secret + name1 + value1 + … over the arguments sorted by name (all ASCII names here). */
function referenceSig(secret: string, params: Record<string, string>): string {
  return md5Hex(secret + Object.keys(params).sort().map((name) => name + params[name]).join(''))
}

const XML_HEAD = '<?xml version="1.0" encoding="utf-8" ?>\n'

describe('api_sig signing', () => {
  it('matches Flickr\'s desktop how-to vector and an independent MD5', () => {
    const params = { api_key: '9a0554259914a86fb9e7eb014e4e5d52', method: 'flickr.auth.getFrob' }
    assert.equal(apiSig('000005fab4534d05', Object.entries(params)), '8ad70cd3888ce493c8dde4931f7d6bd0')
    assert.equal(referenceSig('000005fab4534d05', params), '8ad70cd3888ce493c8dde4931f7d6bd0')
    const other = { method: 'flickr.test.login', auth_token: '72157-x', api_key: 'k', note: 'é ü 日本 a+b&c' }
    assert.equal(apiSig('s3cret', Object.entries(other)), referenceSig('s3cret', other))
  })
})

for (const backend of testBackends()) {
  describe(`legacy frob authentication (${backend.name})`, () => {
    let server: TestServer
    let bob: TestUser
    let app: TestApp
    before(async () => {
      server = await startTestServer({ backend })
      bob = await server.createUser('bob', { fullname: 'Bob "B" <Builder>' })
      app = await server.createApp('bob', 'Desktop Uploadr')
    })
    after(() => server.close())

    /** A REST call, api_sig-signed unless `sign` is false; `sig` overrides the signature. */
    async function rest(params: Record<string, string>, options: { sign?: boolean; sig?: string } = {}) {
      const all: Record<string, string> = { api_key: app.apiKey, ...params }
      const sig = options.sig ?? apiSig(app.secret, Object.entries(all))
      assert.equal(sig, options.sig ?? referenceSig(app.secret, all))
      if (options.sign !== false) all.api_sig = sig
      const response = await fetch(`${server.url}/services/rest/?${new URLSearchParams(all)}`, { dispatcher: server.dispatcher })
      assert.equal(response.status, 200)
      return response.text()
    }
    const errCode = (body: string) => Number(/<err code="(\d+)"/.exec(body)?.[1] ?? /"code":(\d+)/.exec(body)?.[1])

    function authPageUrl(params: Record<string, string>): string {
      const all = { api_key: app.apiKey, ...params }
      return `${server.url}/services/auth/?${new URLSearchParams({ ...all, api_sig: referenceSig(app.secret, all) })}`
    }

    async function getFrob(): Promise<string> {
      const body = await rest({ method: 'flickr.auth.getFrob' })
      const match = /^<\?xml version="1\.0" encoding="utf-8" \?>\n<rsp stat="ok">\n<frob>(72157\d{12}-[0-9a-f]{16})<\/frob>\n<\/rsp>\n$/.exec(body)
      assert.ok(match, body)
      return match[1]!
    }

    function authXml(token: string, perms: string): string {
      return `${XML_HEAD}<rsp stat="ok">\n<auth>\n\t<token>${token}</token>\n\t<perms>${perms}</perms>\n\t<user nsid="${bob.nsid}" username="bob" fullname="Bob &quot;B&quot; &lt;Builder&gt;" />\n</auth>\n</rsp>\n`
    }

    async function approvedToken(perms: string): Promise<string> {
      const frob = await getFrob()
      const page = await getPage(authPageUrl({ perms, frob }), server.dispatcher)
      const done = await submitForm(server.url, page.html, { username: 'bob', password: bob.password, decision: 'approve' }, server.dispatcher)
      assert.equal(done.status, 200)
      const body = await rest({ method: 'flickr.auth.getToken', frob })
      return /<token>([^<]+)<\/token>/.exec(body)![1]!
    }

    it('desktop flow: getFrob → auth page → getToken → checkToken → test.login', async () => {
      const frob = await getFrob()
      assert.equal(errCode(await rest({ method: 'flickr.auth.getToken', frob })), 108, 'not approved yet')

      const page = await getPage(authPageUrl({ perms: 'write', frob }), server.dispatcher)
      assert.equal(page.status, 200)
      assert.equal(page.headers.get('x-frame-options'), 'DENY')
      assert.match(page.html, /<strong>Desktop Uploadr<\/strong>/)
      assert.match(page.html, /<strong>write<\/strong>/)
      assert.deepEqual(new Map(hiddenFields(page.html)).get('frob'), frob)

      const wrong = await submitForm(server.url, page.html, { username: 'bob', password: 'nope', decision: 'approve' }, server.dispatcher)
      assert.equal(wrong.status, 401)
      assert.match(wrong.html, /Wrong username or password/)
      const done = await submitForm(server.url, wrong.html, { username: 'bob', password: bob.password, decision: 'approve' }, server.dispatcher)
      assert.equal(done.status, 200)
      assert.match(done.html, /You may close this window/)

      const tokenBody = await rest({ method: 'flickr.auth.getToken', frob })
      const token = /<token>(72157\d{12}-[0-9a-f]{16})<\/token>/.exec(tokenBody)?.[1]
      assert.ok(token, tokenBody)
      assert.equal(tokenBody, authXml(token, 'write'))
      assert.equal(errCode(await rest({ method: 'flickr.auth.getToken', frob })), 108, 'a frob is single use')

      assert.equal(await rest({ method: 'flickr.auth.checkToken', auth_token: token }), authXml(token, 'write'))
      const login = JSON.parse(await rest({ method: 'flickr.test.login', auth_token: token, format: 'json', nojsoncallback: '1' }))
      assert.deepEqual(login, { user: { id: bob.nsid, username: { _content: 'bob' } }, stat: 'ok' })
    })

    it('answers 96, 97, 98 and 108 like Flickr', async () => {
      const token = await approvedToken('read')
      assert.equal(errCode(await rest({ method: 'flickr.test.login', auth_token: token }, { sig: '0'.repeat(32) })), 96)
      assert.equal(errCode(await rest({ method: 'flickr.test.login', auth_token: token }, { sign: false })), 97)
      assert.equal(errCode(await rest({ method: 'flickr.auth.getFrob' }, { sign: false })), 97)
      assert.equal(errCode(await rest({ method: 'flickr.test.login', auth_token: '72157000000000000-0000000000000000' })), 98)
      assert.equal(errCode(await rest({ method: 'flickr.auth.checkToken', auth_token: '72157000000000000-0000000000000000' })), 98)
      assert.equal(errCode(await rest({ method: 'flickr.auth.getToken', frob: '72157000000000000-0000000000000000' })), 108)
      assert.equal(errCode(await rest({ method: 'flickr.auth.getToken' })), 108)
    })

    it('flickr.auth.oauth.getAccessToken converts the legacy token, which then gets 98', async () => {
      const legacy = await approvedToken('write')
      const body = await rest({ method: 'flickr.auth.oauth.getAccessToken', auth_token: legacy })
      const match = /^<\?xml[^>]*>\n<rsp stat="ok">\n<auth>\n\t<access_token oauth_token="(72157\d{12}-[0-9a-f]{16})" oauth_token_secret="([0-9a-f]{16})" \/>\n<\/auth>\n<\/rsp>\n$/.exec(body)
      assert.ok(match, body)
      assert.equal(errCode(await rest({ method: 'flickr.test.login', auth_token: legacy })), 98)
      assert.equal(errCode(await rest({ method: 'flickr.auth.oauth.getAccessToken', auth_token: legacy })), 98)

      const token = { key: match[1]!, secret: match[2]! }
      const check = await signedCall({
        method: 'GET', url: `${server.url}/services/rest`, params: { method: 'flickr.auth.oauth.checkToken', format: 'json', nojsoncallback: '1' },
        consumer: { key: app.apiKey, secret: app.secret }, token, placement: 'query', dispatcher: server.dispatcher,
      })
      assert.deepEqual(JSON.parse(check.body), {
        oauth: { token: { _content: token.key }, perms: { _content: 'write' }, user: { nsid: bob.nsid, username: 'bob', fullname: 'Bob "B" <Builder>' } },
        stat: 'ok',
      })
      // An unknown OAuth token checked with api_sig signing gets 98.
      assert.equal(errCode(await rest({ method: 'flickr.auth.oauth.checkToken', oauth_token: '72157000000000000-0000000000000000' })), 98)
    })

    it('web flow: no frob, redirect to the app callback with ?frob=, or the frob on the page without one', async () => {
      const noCallback = await getPage(authPageUrl({ perms: 'read' }), server.dispatcher)
      const shown = await submitForm(server.url, noCallback.html, { username: 'bob', password: bob.password, decision: 'approve' }, server.dispatcher)
      assert.equal(shown.status, 200)
      const shownFrob = pageCode(shown.html)
      assert.match(shownFrob ?? '', /^72157\d{12}-[0-9a-f]{16}$/)
      assert.match(await rest({ method: 'flickr.auth.getToken', frob: shownFrob! }), /<perms>read<\/perms>/)

      await server.running.services.database.db.updateTable('apps').set({ callbackUrl: 'https://app.example/flickr?x=1' }).where('apiKey', '=', app.apiKey).execute()
      const page = await getPage(authPageUrl({ perms: 'delete' }), server.dispatcher)
      const done = await submitForm(server.url, page.html, { username: 'bob', password: bob.password, decision: 'approve' }, server.dispatcher)
      assert.ok(done.status === 302 || done.status === 303, `redirect, got ${done.status}`)
      const location = new URL(done.location!)
      assert.equal(`${location.origin}${location.pathname}?x=${location.searchParams.get('x')}`, 'https://app.example/flickr?x=1')
      const frob = location.searchParams.get('frob')!
      assert.match(await rest({ method: 'flickr.auth.getToken', frob }), /<perms>delete<\/perms>/)
    })

    it('refuses unsigned or altered auth page requests, and deny kills the frob', async () => {
      const frob = await getFrob()
      const unsigned = await getPage(`${server.url}/services/auth/?api_key=${app.apiKey}&perms=write&frob=${frob}`, server.dispatcher)
      assert.equal(unsigned.status, 403)
      const badSig = await getPage(`${server.url}/services/auth/?api_key=${app.apiKey}&perms=write&frob=${frob}&api_sig=${'0'.repeat(32)}`, server.dispatcher)
      assert.equal(badSig.status, 403)
      const badKey = await getPage(`${server.url}/services/auth/?api_key=nope&perms=write&api_sig=x`, server.dispatcher)
      assert.equal(badKey.status, 400)

      // Raising perms in the hidden field breaks the signature the form carries.
      const page = await getPage(authPageUrl({ perms: 'read', frob }), server.dispatcher)
      const tampered = page.html.replace('name="perms" value="read"', 'name="perms" value="delete"')
      assert.notEqual(tampered, page.html)
      const refused = await submitForm(server.url, tampered, { username: 'bob', password: bob.password, decision: 'approve' }, server.dispatcher)
      assert.equal(refused.status, 403)

      const denied = await submitForm(server.url, page.html, { decision: 'deny' }, server.dispatcher)
      assert.equal(denied.status, 200)
      assert.match(denied.html, /Access denied/)
      assert.equal(errCode(await rest({ method: 'flickr.auth.getToken', frob })), 108)
      assert.equal((await getPage(authPageUrl({ perms: 'read', frob }), server.dispatcher)).status, 400)
    })
  })
}
