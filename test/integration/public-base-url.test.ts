import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { makeJpeg } from '../helpers/images.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestServer, type TestUploader } from '../helpers/start-server.js'

// publicBaseUrl: size URLs are checked as always, then redirected to the object under the public base.
describe('size URLs with publicBaseUrl', () => {
  const base = 'https://cdn.example.test/retake-bucket/'
  let server: TestServer
  let uploader: TestUploader

  before(async () => {
    server = await startTestServer({ config: { publicBaseUrl: base, s3Prefix: 'p/' } })
    uploader = await server.createUploader('pub')
  })
  after(() => server.close())

  it('answers 302 to {publicBaseUrl}/{s3Prefix}{key} for the current secret only', async () => {
    const response = await photoCall({
      url: `${server.url}/services/upload/`, fields: { is_public: '0' }, file: { data: await makeJpeg({ width: 640, height: 480 }) },
      consumer: uploader.consumer, token: uploader.token, dispatcher: server.dispatcher,
    })
    const id = parsePhotoResponse(response.body).id!
    const found = (await server.running.services.photos.currentFile(id, 'z'))!
    const url = `${server.url}/${found.photo.server}/${id}_${found.photo.secret}_z.jpg`
    const redirect = await fetch(url, { redirect: 'manual', dispatcher: server.dispatcher })
    assert.equal(redirect.status, 302)
    assert.equal(redirect.headers.get('location'), `https://cdn.example.test/retake-bucket/p/${found.blobKey}`)
    const wrong = await fetch(url.replace(`_${found.photo.secret}_`, '_0123456789_'), { redirect: 'manual', dispatcher: server.dispatcher })
    assert.equal(wrong.status, 404, 'a wrong secret is refused before any redirect')
  })
})
