import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request } from 'undici'
import { testBackends } from '../helpers/backends.js'
import { signedParams } from '../helpers/oauth-client.js'
import { startTestServer, type TestServer, type TestUploader } from '../helpers/start-server.js'

// The Flickr edge: whatever fails under /services/ (a route, a body parser, busboy) is answered in
// Flickr's envelope, HTTP 200, in the caller's format; the OAuth endpoints keep oauth_problem text,
// pages answer HTML, static photo URLs bare 404s.

const xmlFailure = (code: number, msg: string) =>
  `<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="fail">\n\t<err code="${code}" msg="${msg.replace(/"/g, '&quot;')}" />\n</rsp>\n`

for (const backend of testBackends()) {
  describe(`Flickr edge (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUploader

    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUploader()
    })
    after(() => server.close())

    const send = async (path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}) => {
      const response = await request(`${server.url}${path}`, {
        method: (options.method ?? 'GET') as 'GET',
        headers: options.headers,
        body: options.body,
        dispatcher: server.dispatcher,
      })
      return { status: response.statusCode, type: String(response.headers['content-type']), body: await response.body.text() }
    }

    it('113: a 2 MiB urlencoded REST body, in the format the query asks for', async () => {
      const body = `method=flickr.test.echo&api_key=${alice.app.apiKey}&junk=${'x'.repeat(2 * 1024 * 1024)}`
      const headers = { 'content-type': 'application/x-www-form-urlencoded' }
      const xml = await send('/services/rest/', { method: 'POST', headers, body })
      assert.deepEqual([xml.status, xml.body], [200, xmlFailure(113, 'Request too large')])
      const json = await send('/services/rest/?format=json&nojsoncallback=1', { method: 'POST', headers, body })
      assert.deepEqual([json.status, JSON.parse(json.body)], [200, { stat: 'fail', code: 113, message: 'Request too large' }])
    })

    it('112: an unknown path or HTTP method under /services/ names what was asked', async () => {
      const nothing = await send('/services/nothing?format=json&nojsoncallback=1')
      assert.deepEqual([nothing.status, JSON.parse(nothing.body)], [200, { stat: 'fail', code: 112, message: 'Method "GET /services/nothing" not found' }])
      const put = await send('/services/rest/', { method: 'PUT', body: 'x' })
      assert.deepEqual([put.status, put.body], [200, xmlFailure(112, 'Method "PUT /services/rest/" not found')])
    })

    it('113, not 96: a multipart REST body whose boundary never appears', async () => {
      const signed = signedParams({ method: 'POST', url: `${server.url}/services/rest/`, params: { method: 'flickr.test.login' }, consumer: alice.consumer, token: alice.token })
      const fields = Object.entries(signed).map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&')
      const result = await send(`/services/rest/?${fields}`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=never-there' },
        body: 'this body has no boundary line at all, and so no fields\r\n',
      })
      assert.deepEqual([result.status, result.body], [200, xmlFailure(113, 'Request could not be read')])
    })

    it('3 on upload and replace when the multipart body cannot be read; always XML', async () => {
      for (const endpoint of ['upload', 'replace']) {
        const result = await send(`/services/${endpoint}/?format=json`, {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=never-there' },
          body: 'no boundary in this body at all\r\n'.repeat(4),
        })
        assert.deepEqual([result.status, result.body], [200, xmlFailure(3, 'General upload failure')], endpoint)
      }
    })

    it('6 on upload when the urlencoded body passes the limit', async () => {
      const result = await send('/services/upload/', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `title=${'x'.repeat(2 * 1024 * 1024)}`,
      })
      assert.deepEqual([result.status, result.body], [200, xmlFailure(6, 'Upload limit reached')])
    })

    const multipart = (fields: Array<[string, string]>) => {
      const boundary = 'edge-boundary'
      const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: `${parts.join('')}--${boundary}--\r\n` }
    }

    it('field names are plain data in every body type: prototype-shaped names are echoed, never 105', async () => {
      const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']
      const fields: Array<[string, string]> = [['method', 'flickr.test.echo'], ['api_key', alice.app.apiKey], ['format', 'json'], ['nojsoncallback', '1'], ...names.map((name): [string, string] => [name, `v-${name}`])]
      const viaMultipart = await send('/services/rest/', { method: 'POST', ...multipart(fields) })
      const viaForm = await send('/services/rest/', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      })
      for (const result of [viaMultipart, viaForm]) {
        const parsed = JSON.parse(result.body)
        assert.equal(parsed.stat, 'ok', result.body)
        for (const name of names) assert.equal(Object.getOwnPropertyDescriptor(parsed, name)?.value?._content, `v-${name}`, name)
      }
    })

    it('a text field over the 1 MiB field limit: 113 on REST, 3 on upload (not 96 from a cut value)', async () => {
      const big = 'x'.repeat(1024 * 1024 + 10)
      const rest = await send('/services/rest/', { method: 'POST', ...multipart([['method', 'flickr.test.echo'], ['api_key', alice.app.apiKey], ['junk', big]]) })
      assert.equal(rest.body, xmlFailure(113, 'Request too large'))
      const upload = await send('/services/upload/', { method: 'POST', ...multipart([['title', big]]) })
      assert.equal(upload.body, xmlFailure(3, 'General upload failure'))
    })

    it('matches method names case-insensitively (flickr-uploader calls flickr.photos.setdates)', async () => {
      const result = await send(`/services/rest/?method=FLICKR.Test.ECHO&api_key=${alice.app.apiKey}&format=json&nojsoncallback=1&x=1`)
      assert.equal(JSON.parse(result.body).stat, 'ok')
      assert.equal(JSON.parse(result.body).x._content, '1')
    })

    it('the OAuth endpoints answer an unreadable body as oauth_problem text', async () => {
      const result = await send('/services/oauth/request_token', {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=never-there' },
        body: 'no boundary in this body at all\r\n'.repeat(4),
      })
      assert.deepEqual([result.status, result.type, result.body], [401, 'text/plain;charset=UTF-8', 'oauth_problem=parameter_rejected&oauth_parameters_rejected=body'])
    })

    it('pages answer HTML errors in their layout; static photo URLs bare 404s', async () => {
      for (const path of ['/nothing/here', '/photos/nobody@N01/123/']) {
        const page = await send(path)
        assert.equal(page.status, 404, path)
        assert.match(page.type, /^text\/html/, path)
        assert.match(page.body, /<!DOCTYPE html>[\s\S]*<h1>Not found<\/h1>/, path)
      }
      const image = await send('/65535/123_0123456789_b.jpg')
      assert.equal(image.status, 404)
      assert.doesNotMatch(image.type, /html|json/)
    })
  })
}
