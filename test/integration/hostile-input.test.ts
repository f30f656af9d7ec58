import assert from 'node:assert/strict'
import https from 'node:https'
import { after, before, describe, it } from 'node:test'
import { parseXml } from '@rgrove/parse-xml'
import fc from 'fast-check'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg } from '../helpers/images.js'
import { hmacSha1Signature, signatureBaseString } from '../../src/auth/oauth1-signature.js'
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestServer, type TestUploader } from '../helpers/start-server.js'

// Hostile input, by class: Host values, text fields, callbacks, header and signing shapes. Every answer
// is a Flickr answer (never a 5xx or a 105) and every XML or JSON document parses.

type Raw = { status: number; body: string; headers: Record<string, string | string[] | undefined> }

for (const backend of testBackends()) {
  describe(`hostile input (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUploader
    let photoId: string

    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUploader()
      const uploaded = await photoCall({ url: `${server.url}/services/upload/`, fields: { title: 'ok' }, file: { data: await makeJpeg({ width: 64, height: 48 }) }, consumer: alice.consumer, token: alice.token, dispatcher: server.dispatcher })
      photoId = parsePhotoResponse(uploaded.body).id!
    })
    after(() => server.close())

    /** A raw HTTPS request with whatever Host header the test writes. */
    const raw = (path: string, options: { host?: string; method?: string; body?: string; headers?: Record<string, string> } = {}) =>
      new Promise<Raw>((resolve, reject) => {
        const url = new URL(server.url)
        const headers: Record<string, string> = { ...options.headers }
        if (options.host !== undefined) headers.host = options.host
        const request = https.request({ hostname: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers, ca: server.ca, servername: 'localhost' }, (response) => {
          let body = ''
          response.setEncoding('utf8')
          response.on('data', (chunk: string) => (body += chunk))
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }))
        })
        request.on('error', reject)
        request.end(options.body)
      })

    const query = (params: Record<string, string>) => new URLSearchParams(params).toString()
    /**
     * Signs exactly the pairs given (repeats and odd oauth_* values included), filling in the usual
     * oauth_* parameters the pairs leave out; `token: false` signs without the user's token.
     */
    const sign = (method: string, path: string, pairs: Array<[string, string]>, options: { token?: boolean } = {}) => {
      const defaults: Array<[string, string]> = [
        ['oauth_consumer_key', alice.consumer.key],
        ['oauth_nonce', randomBytes(8).toString('hex')],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
        ['oauth_version', '1.0'],
        ...(options.token === false ? [] : [['oauth_token', alice.token.key] as [string, string]]),
      ]
      const all = [...pairs, ...defaults.filter(([name]) => !pairs.some(([given]) => given === name))]
      const secret = options.token === false ? '' : alice.token.secret
      return new URLSearchParams([...all, ['oauth_signature', hmacSha1Signature(signatureBaseString(method, `${server.url}${path}`, all), alice.consumer.secret, secret)]]).toString()
    }
    const signed = (path: string, params: Record<string, string>) => sign('GET', path, Object.entries(params), { token: !path.includes('oauth/') })

    describe('Host values a base-string URL cannot be built from', () => {
      for (const host of ['#', '?', '/x', '@', ':80', 'a b', 'x:99999']) {
        it(`Host ${JSON.stringify(host)}: REST 96, request_token oauth_problem, replace 96`, async () => {
          const rest = await raw(`/services/rest/?${signed('/services/rest/', { method: 'flickr.test.login' })}`, { host })
          assert.equal(rest.status, 200)
          assert.match(rest.body, /<err code="96" msg="Invalid signature" \/>/)
          const token = await raw(`/services/oauth/request_token?${signed('/services/oauth/request_token', { oauth_callback: 'oob' })}`, { host })
          assert.deepEqual([token.status, token.body], [401, 'oauth_problem=signature_invalid'])
          const replace = await raw(`/services/replace/?${sign('POST', '/services/replace/', [['photo_id', photoId]])}`, { host, method: 'POST' })
          assert.match(replace.body, /<err code="96" msg="Invalid signature" \/>/)
        })
      }
      it('an empty Host is refused by the HTTP layer with a 400, never a 5xx', async () => {
        const result = await raw('/services/rest/?method=flickr.test.echo', { host: '' })
        assert.ok(result.status === 400 || result.status === 200, String(result.status))
      })
    })

    describe('text fields: whatever characters arrive, every answer parses', () => {
      const nasty = fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)), maxLength: 10 }),
        fc.constantFrom('\u0000', '\uFFFE', '\uFFFF', '\uD800', '\uDC00x', 'a\uD83D', '&<>"\'', '\r\n\t'),
        fc.string({ unit: 'binary', maxLength: 20 }),
      )
      const restCall = async (params: Record<string, string>, method: 'GET' | 'POST' = 'GET') =>
        (await raw(`/services/rest/?${sign(method, '/services/rest/', Object.entries(params))}`, { method })).body

      it('flickr.test.echo, XML and JSON, and the 112 and 111 envelopes', async () => {
        await fc.assert(
          fc.asyncProperty(nasty, async (value) => {
            parseXml(await restCall({ method: 'flickr.test.echo', x: value }))
            JSON.parse(await restCall({ method: 'flickr.test.echo', x: value, format: 'json', nojsoncallback: '1' }))
            parseXml(await restCall({ method: `flickr.${value}` }))
            parseXml(await restCall({ method: 'flickr.test.echo', format: `rest${value}` }))
            parseXml(await restCall({ method: 'flickr.photos.upload.checkTickets', tickets: `1${value}` }))
          }),
          { numRuns: 40 },
        )
      })

      it('setMeta and setTags store only what getInfo can carry', async () => {
        await fc.assert(
          fc.asyncProperty(nasty, nasty, nasty, async (title, description, tag) => {
            parseXml(await restCall({ method: 'flickr.photos.setMeta', photo_id: photoId, title, description }, 'POST'))
            parseXml(await restCall({ method: 'flickr.photos.setTags', photo_id: photoId, tags: `a${tag} "b ${tag}"` }, 'POST'))
            const info = parseXml(await restCall({ method: 'flickr.photos.getInfo', photo_id: photoId }))
            assert.equal(info.root?.attributes.stat, 'ok')
            JSON.parse(await restCall({ method: 'flickr.photos.getInfo', photo_id: photoId, format: 'json', nojsoncallback: '1' }))
          }),
          { numRuns: 25 },
        )
      })

      it('upload title, description and tags: control characters are stripped, 75 tags at most', async () => {
        const tags = Array.from({ length: 120 }, (_, i) => `t${i}\u0001`).join(' ')
        const uploaded = await photoCall({
          url: `${server.url}/services/upload/`,
          fields: { title: 'a\u0000b\uFFFEc', description: 'd\u001be', tags },
          file: { data: await makeJpeg({ width: 32, height: 32 }) },
          consumer: alice.consumer,
          token: alice.token,
          dispatcher: server.dispatcher,
        })
        const id = parsePhotoResponse(uploaded.body).id!
        const info = JSON.parse(await restCall({ method: 'flickr.photos.getInfo', photo_id: id, format: 'json', nojsoncallback: '1' }))
        assert.deepEqual([info.photo.title._content, info.photo.description._content, info.photo.tags.tag.length], ['abc', 'de', 75])
      })
    })

    describe('signing: one strict rule on every endpoint', () => {
      const cases: Array<[string, Record<string, string>]> = [
        ['oauth_version 2.0', { oauth_version: '2.0' }],
        ['empty oauth_version', { oauth_version: '' }],
      ]
      const now = Math.floor(Date.now() / 1000)
      for (const timestamp of [`0x${now.toString(16)}`, ` ${now}`, `${now}e0`, `${now}.0`, `+${now}`]) cases.push([`oauth_timestamp ${JSON.stringify(timestamp)}`, { oauth_timestamp: timestamp }])
      for (const [name, override] of cases) {
        it(`REST and request_token refuse ${name}, correctly signed`, async () => {
          const rest = await raw(`/services/rest/?${sign('GET', '/services/rest/', [['method', 'flickr.test.login'], ...Object.entries(override)])}`)
          assert.match(rest.body, /<err code="96" /)
          const token = await raw(`/services/oauth/request_token?${sign('GET', '/services/oauth/request_token', [['oauth_callback', 'oob'], ...Object.entries(override)], { token: false })}`)
          assert.equal(token.status, 401)
        })
      }
      it('a duplicated oauth_nonce, both copies signed, is refused rather than guessed between', async () => {
        const result = await raw(`/services/rest/?${sign('GET', '/services/rest/', [['method', 'flickr.test.login'], ['oauth_nonce', 'one'], ['oauth_nonce', 'two']])}`)
        assert.match(result.body, /<err code="96" /)
      })
      it('repeated arguments: the first value is acted on, and the signature covers both', async () => {
        const url = `${server.url}/services/rest/`
        const pairs: Array<[string, string]> = [['method', 'flickr.photos.setMeta'], ['photo_id', photoId], ['title', 'first'], ['title', 'second']]
        // Signed over one title, sent with two: the extra value is not signed, so the call is refused.
        const forged = `${sign('POST', '/services/rest/', pairs.slice(0, 3))}&title=second`
        assert.match((await raw(`/services/rest/?${forged}`, { method: 'POST' })).body, /<err code="96" /)
        assert.match((await raw(`/services/rest/?${sign('POST', '/services/rest/', pairs)}`, { method: 'POST' })).body, /stat="ok"/)
        const info = JSON.parse(await fetch(`${url}?${query({ method: 'flickr.photos.getInfo', api_key: alice.app.apiKey, photo_id: photoId, format: 'json', nojsoncallback: '1' })}`, { dispatcher: server.dispatcher }).then((r) => r.text()))
        assert.equal(info.photo.title._content, 'first')
      })
    })

    describe('OAuth callbacks a Location header cannot carry are refused at request_token', () => {
      const bad = ['javascript:alert(1)', 'data:text/html,x', 'ftp://example.com/cb', 'myapp://cb', 'https://例え.jp/cb', 'https://example.com/a\r\nSet-Cookie: x=1', 'https://example.com/\u0000', `https://example.com/${'a'.repeat(3000)}`, 'https:///nohost', '/relative']
      for (const callback of bad) {
        it(`refuses ${JSON.stringify(callback.slice(0, 40))}`, async () => {
          const result = await raw(`/services/oauth/request_token?${sign('GET', '/services/oauth/request_token', [['oauth_callback', callback]], { token: false })}`)
          assert.deepEqual([result.status, result.body], [401, 'oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_callback'])
        })
      }
      for (const callback of ['oob', 'https://xn--r8jz45g.jp/cb?x=%E4%BE%8B', 'http://127.0.0.1:8080/done']) {
        it(`accepts ${callback}`, async () => {
          const result = await raw(`/services/oauth/request_token?${sign('GET', '/services/oauth/request_token', [['oauth_callback', callback]], { token: false })}`)
          assert.equal(result.status, 200, result.body)
        })
      }
    })

    it('the plain-HTTP redirect goes only to a host the certificate covers (no open redirect)', async () => {
      const plain = new URL(server.httpUrl!)
      const location = await new Promise<string | undefined>((resolve, reject) => {
        const request = http.request({ hostname: plain.hostname, port: plain.port, path: '/photos/x/', headers: { host: 'evil.example' } }, (response) => {
          response.resume()
          resolve(response.headers.location)
        })
        request.on('error', reject)
        request.end()
      })
      assert.ok(location && !location.includes('evil.example'), location)
    })
  })
}
