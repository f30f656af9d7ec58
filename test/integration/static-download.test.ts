import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { restCaller, type Json } from '../helpers/album-fixtures.js'
import { makeJpeg } from '../helpers/images.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestServer, type TestUploader } from '../helpers/start-server.js'

// Flickr's `_d` download URLs (reference part 2 §9): any size URL with `_d` before the extension answers
// the same bytes with Content-Disposition: attachment and the file name without `_d`.

describe('static _d download URLs', () => {
  let server: TestServer
  let uploader: TestUploader
  let sizes: Json[]

  before(async () => {
    server = await startTestServer()
    uploader = await server.createUploader('alice')
    const data = await makeJpeg({ width: 1200, height: 800, seed: 3 })
    const body = (await photoCall({ url: `${server.url}/services/upload/`, fields: { is_public: '0' }, file: { data }, consumer: uploader.consumer, token: uploader.token, dispatcher: server.dispatcher })).body
    const id = parsePhotoResponse(body).id!
    const call = restCaller(server, uploader.app)
    sizes = (await call({ token: uploader.token.key, secret: uploader.token.secret }, { method: 'flickr.photos.getSizes', photo_id: id })).sizes.size
  })
  after(() => server.close())

  const source = (label: string) => sizes.find((s) => s.label === label).source as string
  const get = (url: string) => fetch(url, { dispatcher: server.dispatcher })

  it('_b_d and _o_d: attachment with the plain file name; bytes as the plain URL', async () => {
    for (const label of ['Large', 'Original', 'Medium']) {
      const plain = source(label)
      const dUrl = plain.replace(/\.(\w+)$/, '_d.$1')
      const [a, b] = await Promise.all([get(plain), get(dUrl)])
      assert.equal(b.status, 200, dUrl)
      assert.equal(a.headers.get('content-disposition'), null)
      const name = plain.slice(plain.lastIndexOf('/') + 1)
      assert.equal(b.headers.get('content-disposition'), `attachment; filename=${name}`)
      assert.equal(b.headers.get('content-type'), 'image/jpeg')
      assert.deepEqual(Buffer.from(await b.arrayBuffer()), Buffer.from(await a.arrayBuffer()))
    }
    assert.match(source('Large'), /_b\.jpg$/)
    assert.match(source('Original'), /_o\.jpg$/)
  })

  it('a wrong secret or unknown size with _d is still 404', async () => {
    const large = source('Large')
    assert.equal((await get(large.replace(/_([0-9a-f]+)_b\.jpg$/, '_0000000000_b_d.jpg'))).status, 404)
    assert.equal((await get(large.replace(/_b\.jpg$/, '_x_d.jpg'))).status, 404)
    assert.equal((await get(large.replace(/_b\.jpg$/, '_b_d_d.jpg'))).status, 404)
  })
})
