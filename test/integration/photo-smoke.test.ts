import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg } from '../helpers/images.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

for (const backend of testBackends()) {
  describe(`upload then replace (${backend.name})`, () => {
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

    it('uploads, then replaces keeping the id and changing both secrets', async () => {
      const consumer = { key: app.apiKey, secret: app.secret }
      const oauthToken = { key: token.token, secret: token.secret }
      const upload = await photoCall({
        url: `${server.url}/services/upload/`,
        fields: { title: 'First', tags: 'a "long tag"' },
        file: { data: await makeJpeg({ width: 800, height: 600, seed: 1 }) },
        consumer,
        token: oauthToken,
        dispatcher: server.dispatcher,
      })
      assert.equal(upload.status, 200)
      assert.match(upload.body, /^<\?xml version="1.0" encoding="utf-8" \?>\n<rsp stat="ok">\n<photoid>\d+<\/photoid>\n<\/rsp>\n$/)
      const id = parsePhotoResponse(upload.body).id!
      const replace = await photoCall({
        url: `${server.url}/services/replace`,
        fields: { photo_id: id },
        file: { data: await makeJpeg({ width: 1200, height: 900, seed: 2 }) },
        consumer,
        token: oauthToken,
        placement: 'header',
        fileFirst: true,
        dispatcher: server.dispatcher,
      })
      const parsed = parsePhotoResponse(replace.body)
      assert.equal(parsed.id, id, replace.body)
      assert.match(parsed.secret!, /^[0-9a-f]{10}$/)
    })
  })
}
