import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { testBackends } from '../helpers/backends.js'
import { signedCall } from '../helpers/oauth-client.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

for (const backend of testBackends()) {
  describe(`REST smoke (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let app: TestApp
    let token: { token: string; secret: string }
    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUser('alice', { pro: true })
      app = await server.createApp('alice')
      token = await server.createToken(alice, app, 'write')
    })
    after(() => server.close())

    for (const placement of ['header', 'query', 'body', 'multipart'] as const) {
      it(`flickr.test.login signed with OAuth in the ${placement}`, async () => {
        const method = placement === 'query' ? 'GET' : 'POST'
        const result = await signedCall({
          method,
          url: `${server.url}/services/rest/`,
          params: { method: 'flickr.test.login', format: 'json', nojsoncallback: '1', note: 'a b+c/d=é' },
          consumer: { key: app.apiKey, secret: app.secret },
          token: { key: token.token, secret: token.secret },
          placement,
          dispatcher: server.dispatcher,
        })
        assert.equal(result.status, 200)
        assert.deepEqual(JSON.parse(result.body), { user: { id: alice.nsid, username: { _content: 'alice' } }, stat: 'ok' })
      })
    }

    it('answers an unknown method with 112 in the XML envelope', async () => {
      const response = await fetch(`${server.url}/services/rest?method=flickr.nope&api_key=${app.apiKey}`, { dispatcher: server.dispatcher })
      assert.equal(response.status, 200)
      assert.equal(
        await response.text(),
        '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="fail">\n\t<err code="112" msg="Method &quot;flickr.nope&quot; not found" />\n</rsp>\n',
      )
    })
  })
}
