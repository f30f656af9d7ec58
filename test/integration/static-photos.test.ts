import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import sharp from 'sharp'
import { fetch } from 'undici'
import { testSetups } from '../helpers/backends.js'
import { assertLooksLike } from '../helpers/image-fingerprint.js'
import { makeJpeg, makePng } from '../helpers/images.js'
import { signedCall } from '../helpers/oauth-client.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

interface Size {
  label: string
  width: number
  height: number
  source: string
  url: string
  media: string
}

for (const { name, backend, blobStore } of testSetups()) {
  describe(`static photo URLs (${name})`, () => {
    let server: TestServer
    let alice: TestUser
    let app: TestApp
    let token: { token: string; secret: string }
    const consumer = () => ({ key: app.apiKey, secret: app.secret })
    const oauthToken = () => ({ key: token.token, secret: token.secret })

    before(async () => {
      server = await startTestServer({ backend, blobStore })
      alice = await server.createUser('alice', { pro: true })
      app = await server.createApp('alice')
      token = await server.createToken(alice, app, 'write')
    })
    after(() => server.close())

    const get = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
      fetch(url, { method, headers, dispatcher: server.dispatcher })

    async function upload(data: Buffer, fields: Record<string, string> = {}): Promise<string> {
      const response = await photoCall({ url: `${server.url}/services/upload/`, fields, file: { data }, consumer: consumer(), token: oauthToken(), dispatcher: server.dispatcher })
      const id = parsePhotoResponse(response.body).id
      assert.ok(id, response.body)
      return id
    }

    async function replace(id: string, data: Buffer): Promise<void> {
      const response = await photoCall({ url: `${server.url}/services/replace/`, fields: { photo_id: id }, file: { data }, consumer: consumer(), token: oauthToken(), dispatcher: server.dispatcher })
      assert.equal(parsePhotoResponse(response.body).id, id, response.body)
    }

    async function getSizes(id: string): Promise<Size[]> {
      const result = await signedCall({
        method: 'GET',
        url: `${server.url}/services/rest/`,
        params: { method: 'flickr.photos.getSizes', photo_id: id, format: 'json', nojsoncallback: '1' },
        consumer: consumer(),
        token: oauthToken(),
        placement: 'query',
        dispatcher: server.dispatcher,
      })
      const body = JSON.parse(result.body)
      assert.equal(body.stat, 'ok', result.body)
      return body.sizes.size as Size[]
    }

    // Bodies are always read: an unread one keeps its connection busy and server.close() waiting.
    async function statusOf(url: string): Promise<number> {
      const response = await get(url)
      await response.arrayBuffer()
      return response.status
    }

    async function etagOf(url: string): Promise<string | null> {
      const response = await get(url)
      await response.arrayBuffer()
      return response.headers.get('etag')
    }

    async function fetchBytes(url: string): Promise<Buffer> {
      const response = await get(url)
      assert.equal(response.status, 200, url)
      return Buffer.from(await response.arrayBuffer())
    }

    it('serves every size getSizes lists, at its dimensions, and the original byte for byte', async () => {
      const original = await makeJpeg({ width: 2100, height: 1400, seed: 11 })
      const id = await upload(original)
      const sizes = await getSizes(id)
      assert.deepEqual(
        sizes.map((s) => s.label),
        ['Square', 'Large Square', 'Thumbnail', 'Small', 'Small 320', 'Small 400', 'Medium', 'Medium 640', 'Medium 800', 'Large', 'Large 1600', 'Large 2048', 'Original'],
      )
      for (const size of sizes) {
        const response = await get(size.source)
        assert.equal(response.status, 200, size.source)
        const bytes = Buffer.from(await response.arrayBuffer())
        assert.equal(response.headers.get('content-type'), 'image/jpeg')
        assert.equal(response.headers.get('content-length'), String(bytes.length))
        assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable')
        assert.equal(response.headers.get('accept-ranges'), 'bytes')
        assert.match(response.headers.get('etag') ?? '', /^"[^"]+"$/)
        const meta = await sharp(bytes).metadata()
        assert.deepEqual([meta.width, meta.height], [size.width, size.height], size.label)
        if (size.label === 'Original') assert.ok(bytes.equals(original), 'original is served unchanged')
      }
      const medium = sizes.find((s) => s.label === 'Medium')!
      assert.match(medium.source, new RegExp(`/65535/${id}_[0-9a-f]{10}\\.jpg$`))
    })

    it('serves a PNG original with its own type and extension', async () => {
      const png = await makePng({ width: 300, height: 200, seed: 5 })
      const id = await upload(png)
      const original = (await getSizes(id)).at(-1)!
      assert.match(original.source, /_o\.png$/)
      const response = await get(original.source)
      assert.equal(response.headers.get('content-type'), 'image/png')
      assert.ok(Buffer.from(await response.arrayBuffer()).equals(png))
      assert.equal(await statusOf(original.source.replace(/\.png$/, '.jpg')), 404)
    })

    it('answers HEAD, If-None-Match and Range requests', async () => {
      const original = await makeJpeg({ width: 640, height: 480, seed: 12 })
      const id = await upload(original)
      const url = (await getSizes(id)).at(-1)!.source
      const full = await get(url)
      const etag = full.headers.get('etag')!
      await full.arrayBuffer()

      const head = await get(url, {}, 'HEAD')
      assert.equal(head.status, 200)
      assert.equal(head.headers.get('content-length'), String(original.length))
      assert.equal(head.headers.get('etag'), etag)
      assert.equal(head.headers.get('content-type'), 'image/jpeg')
      assert.equal((await head.arrayBuffer()).byteLength, 0)

      const cached = await get(url, { 'if-none-match': etag })
      assert.equal(cached.status, 304)
      assert.equal(cached.headers.get('etag'), etag)
      assert.equal((await cached.arrayBuffer()).byteLength, 0)
      const listed = await get(url, { 'if-none-match': `"other", W/${etag}` })
      assert.equal(listed.status, 304)
      await listed.arrayBuffer()
      const stale = await get(url, { 'if-none-match': '"other"' })
      assert.equal(stale.status, 200)
      await stale.arrayBuffer()

      const size = original.length
      const cases: Array<[string, number, number]> = [
        ['bytes=0-99', 0, 99],
        ['bytes=100-', 100, size - 1],
        ['bytes=-50', size - 50, size - 1],
        [`bytes=10-${size + 1000}`, 10, size - 1],
      ]
      for (const [range, start, end] of cases) {
        const partial = await get(url, { range })
        assert.equal(partial.status, 206, range)
        assert.equal(partial.headers.get('content-range'), `bytes ${start}-${end}/${size}`)
        assert.equal(partial.headers.get('content-length'), String(end - start + 1))
        assert.ok(Buffer.from(await partial.arrayBuffer()).equals(original.subarray(start, end + 1)), range)
      }
      const headRange = await get(url, { range: 'bytes=0-9' }, 'HEAD')
      assert.equal(headRange.status, 206)
      assert.equal(headRange.headers.get('content-length'), '10')
      await headRange.arrayBuffer()

      for (const range of [`bytes=${size}-`, 'bytes=-0']) {
        const refused = await get(url, { range })
        assert.equal(refused.status, 416, range)
        assert.equal(refused.headers.get('content-range'), `bytes */${size}`)
        await refused.arrayBuffer()
      }
      const multi = await get(url, { range: 'bytes=0-1,5-9' })
      assert.equal(multi.status, 200)
      assert.equal(Buffer.from(await multi.arrayBuffer()).length, size)
      const changed = await get(url, { range: 'bytes=0-9', 'if-range': '"not-it"' })
      assert.equal(changed.status, 200)
      await changed.arrayBuffer()
    })

    it('404s wrong secrets, servers, suffixes and extensions, and leaves other paths alone', async () => {
      const id = await upload(await makeJpeg({ width: 400, height: 300, seed: 13 }))
      const sizes = await getSizes(id)
      const small = sizes.find((s) => s.label === 'Small')!.source
      const originalUrl = sizes.at(-1)!.source
      const secret = /_([0-9a-f]{10})_m\.jpg$/.exec(small)![1]!
      const osecret = /_([0-9a-f]{10})_o\.jpg$/.exec(originalUrl)![1]!
      const bad = [
        small.replace(secret, 'ffffffffff'),
        small.replace('/65535/', '/65534/'),
        small.replace('_m.jpg', '_x.jpg'),
        small.replace('_m.jpg', '_m.png'),
        small.replace(`_${secret}_m`, `_${osecret}_m`), // the original's secret does not open a size
        originalUrl.replace(`_${osecret}_o`, `_${secret}_o`), // nor the other way round
        small.replace('_m.jpg', '_k.jpg'), // a size this small photo does not have
        small.replace(`/${id}_`, `/${id}9_`),
        `${server.url}/65535/${id}_${secret}_m.jpg/extra`,
        `${server.url}/65535/not-a-file`,
      ]
      for (const url of bad) assert.equal(await statusOf(url), 404, url)
      assert.equal(await statusOf(small), 200)
      const rest = await get(`${server.url}/services/rest/?method=flickr.test.null&api_key=${app.apiKey}`)
      assert.equal(rest.status, 200)
      assert.match(await rest.text(), /<rsp stat="fail">/) // the REST route answered, not this one
    })

    it('serves a private photo only through its secret URLs', async () => {
      const id = await upload(await makeJpeg({ width: 500, height: 400, seed: 14 }), { is_public: '0' })
      const sizes = await getSizes(id)
      for (const size of sizes) assert.equal(await statusOf(size.source), 200, size.source)
      const anonymous = await get(`${server.url}/services/rest/?method=flickr.photos.getSizes&photo_id=${id}&api_key=${app.apiKey}&format=json&nojsoncallback=1`)
      assert.deepEqual(await anonymous.json(), { stat: 'fail', code: 1, message: 'Photo not found' })
    })

    it('after a replace, every old URL 404s and every new URL shows the new picture', async () => {
      const oldImage = await makeJpeg({ width: 2100, height: 1400, seed: 21 })
      const newImage = await makeJpeg({ width: 1800, height: 1200, seed: 22, color: [120, 220, 120] })
      const id = await upload(oldImage)
      const before = await getSizes(id)
      const oldEtag = await etagOf(before[0]!.source)
      await replace(id, newImage)
      const afterSizes = await getSizes(id)
      assert.ok(!afterSizes.some((s) => s.label === 'Large 2048'), 'no upscaled 2048 for a 1800 px original')
      for (const size of before) {
        assert.equal(await statusOf(size.source), 404, `old ${size.label} URL still served`)
        assert.ok(!afterSizes.some((s) => s.source === size.source), `${size.label} URL did not change`)
      }
      for (const size of afterSizes) {
        const bytes = await fetchBytes(size.source)
        const meta = await sharp(bytes).metadata()
        assert.deepEqual([meta.width, meta.height], [size.width, size.height], size.label)
        const square = size.label === 'Square' || size.label === 'Large Square'
        await assertLooksLike(bytes, newImage, oldImage, { square, message: size.label })
        if (size.label === 'Original') assert.ok(bytes.equals(newImage))
      }
      assert.notEqual(await etagOf(afterSizes[0]!.source), oldEtag)
    })
  })
}
