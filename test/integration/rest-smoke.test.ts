import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { testBackends } from '../helpers/backends.js'
import { signedCall } from '../helpers/oauth-client.js'
import { startTestServer, type TestServer, type TestUploader } from '../helpers/start-server.js'

for (const backend of testBackends()) {
  describe(`REST smoke (${backend.name})`, () => {
    let server: TestServer
    let uploader: TestUploader
    before(async () => {
      server = await startTestServer({ backend })
      uploader = await server.createUploader()
    })
    after(() => server.close())

    for (const placement of ['header', 'query', 'body', 'multipart'] as const) {
      it(`flickr.test.login signed with OAuth in the ${placement}`, async () => {
        const method = placement === 'query' ? 'GET' : 'POST'
        const result = await signedCall({
          method,
          url: `${server.url}/services/rest/`,
          params: { method: 'flickr.test.login', format: 'json', nojsoncallback: '1', note: 'a b+c/d=é' },
          consumer: uploader.consumer,
          token: uploader.token,
          placement,
          dispatcher: server.dispatcher,
        })
        assert.equal(result.status, 200)
        assert.deepEqual(JSON.parse(result.body), { user: { id: uploader.user.nsid, username: { _content: 'alice' } }, stat: 'ok' })
      })
    }

    it('answers an unknown method with 112 in the XML envelope', async () => {
      const response = await fetch(`${server.url}/services/rest?method=flickr.nope&api_key=${uploader.app.apiKey}`, { dispatcher: server.dispatcher })
      assert.equal(response.status, 200)
      assert.equal(
        await response.text(),
        '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="fail">\n\t<err code="112" msg="Method &quot;flickr.nope&quot; not found" />\n</rsp>\n',
      )
    })
  })
}
