import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testSetups } from '../helpers/backends.js'
import { makeJpeg } from '../helpers/images.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestServer, type TestUploader } from '../helpers/start-server.js'

for (const { name, backend, blobStore } of testSetups()) {
  describe(`upload then replace (${name})`, () => {
    let server: TestServer
    let uploader: TestUploader
    before(async () => {
      server = await startTestServer({ backend, blobStore })
      uploader = await server.createUploader()
    })
    after(() => server.close())

    it('uploads, then replaces keeping the id and changing both secrets', async () => {
      const { consumer, token: oauthToken } = uploader
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
