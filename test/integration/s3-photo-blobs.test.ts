import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { HeadObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3'
import sharp from 'sharp'
import { fetch } from 'undici'
import { signedCall } from '../helpers/oauth-client.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { s3Client, testS3OrSkip } from '../helpers/s3.js'
import { startTestServer, type TestServer, type TestUploader } from '../helpers/start-server.js'

// SQLite metadata + S3BlobStore on the test RGW, through the real HTTPS API: uploads land in the
// bucket (and nowhere under the data folder), and size URLs stream from S3 with Range, ETag and 304.

const { s3, skip } = testS3OrSkip()

describe('photos with blobs on S3 (sqlite + s3)', { skip }, () => {
  let server: TestServer
  let uploader: TestUploader
  let client: S3Client
  let bucket: string

  before(async () => {
    server = await startTestServer({ blobStore: 's3' })
    uploader = await server.createUploader()
    client = s3Client(s3!)
    bucket = server.config.s3Bucket!
  })
  after(async () => {
    client?.destroy()
    await server?.close()
  })

  const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, dispatcher: server.dispatcher })
  const call = (path: string, fields: Record<string, string>, data: Buffer) =>
    photoCall({ url: `${server.url}${path}`, fields, file: { data }, consumer: uploader.consumer, token: uploader.token, dispatcher: server.dispatcher })

  async function objectKeys(): Promise<string[]> {
    const keys: string[] = []
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket })) keys.push(...(page.Contents ?? []).map((o) => o.Key!))
    return keys.sort()
  }

  async function sizeUrls(id: string): Promise<Map<string, string>> {
    const result = await signedCall({
      method: 'GET',
      url: `${server.url}/services/rest/`,
      params: { method: 'flickr.photos.getSizes', photo_id: id, format: 'json', nojsoncallback: '1' },
      consumer: uploader.consumer,
      token: uploader.token,
      placement: 'query',
      dispatcher: server.dispatcher,
    })
    const body = JSON.parse(result.body) as { sizes: { size: { label: string; source: string }[] } }
    return new Map(body.sizes.size.map((size) => [size.label, size.source]))
  }

  it('stores a multipart-sized original in the bucket and serves it byte for byte, in ranges and with 304s', async () => {
    // Noise does not compress: a JPEG over the 8 MiB part size, so the original goes multipart.
    const original = await sharp(randomBytes(2900 * 2900 * 3), { raw: { width: 2900, height: 2900, channels: 3 } }).jpeg({ quality: 100 }).toBuffer()
    assert.ok(original.length > 9 * 1024 * 1024 && original.length < 16 * 1024 * 1024, `${original.length} bytes`)
    const uploaded = await call('/services/upload/', {}, original)
    const id = parsePhotoResponse(uploaded.body).id
    assert.ok(id, uploaded.body)

    const keys = await objectKeys()
    assert.ok(keys.length >= 8 && keys.every((key) => key.startsWith(`photos/${id}/`)), keys.join(', '))
    assert.equal(existsSync(join(server.dataDir, 'blobs')), false, 'nothing under DATA/blobs/')
    const originalKey = keys.find((key) => key.endsWith('_o.jpg'))!
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: originalKey }))
    assert.match(head.ETag ?? '', /-2"$/, 'two parts')

    const url = (await sizeUrls(id)).get('Original')!
    const full = await get(url)
    assert.equal(full.status, 200)
    assert.equal(full.headers.get('etag'), head.ETag)
    assert.equal(full.headers.get('content-type'), 'image/jpeg')
    assert.ok(Buffer.from(await full.arrayBuffer()).equals(original))

    const boundary = 8 * 1024 * 1024
    const ranged = await get(url, { range: `bytes=${boundary - 5}-${boundary + 4}` })
    assert.equal(ranged.status, 206)
    assert.equal(ranged.headers.get('content-range'), `bytes ${boundary - 5}-${boundary + 4}/${original.length}`)
    assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(original.subarray(boundary - 5, boundary + 5)))
    const suffix = await get(url, { range: 'bytes=-100' })
    assert.ok(Buffer.from(await suffix.arrayBuffer()).equals(original.subarray(original.length - 100)))

    const cached = await get(url, { 'if-none-match': head.ETag! })
    assert.equal(cached.status, 304)
    await cached.arrayBuffer()
    const past = await get(url, { range: `bytes=${original.length}-` })
    assert.equal(past.status, 416)
    await past.arrayBuffer()
  })

  it('serves every size from S3 with an ETag that a revalidation answers 304', async () => {
    const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 30, g: 120, b: 200 } } }).jpeg().toBuffer()
    const id = parsePhotoResponse((await call('/services/upload/', {}, photo)).body).id!
    for (const [label, url] of await sizeUrls(id)) {
      const response = await get(url)
      assert.equal(response.status, 200, label)
      const etag = response.headers.get('etag')!
      const body = Buffer.from(await response.arrayBuffer())
      assert.equal(body.length, Number(response.headers.get('content-length')), label)
      const again = await get(url, { 'if-none-match': etag })
      assert.equal(again.status, 304, label)
      await again.arrayBuffer()
      const first = await get(url, { range: 'bytes=0-1' })
      assert.deepEqual([...Buffer.from(await first.arrayBuffer())], [0xff, 0xd8], `${label}: a JPEG`)
    }
  })

  it('a replace puts new objects and deletes the old revision from the bucket', async () => {
    const make = (r: number) => sharp({ create: { width: 800, height: 600, channels: 3, background: { r, g: 10, b: 10 } } }).jpeg().toBuffer()
    const id = parsePhotoResponse((await call('/services/upload/', {}, await make(200))).body).id!
    const before = (await objectKeys()).filter((key) => key.startsWith(`photos/${id}/`))
    const oldUrl = (await sizeUrls(id)).get('Medium')!
    const replaced = await call('/services/replace/', { photo_id: id }, await make(20))
    assert.equal(parsePhotoResponse(replaced.body).id, id, replaced.body)
    const afterwards = (await objectKeys()).filter((key) => key.startsWith(`photos/${id}/`))
    assert.equal(afterwards.length, before.length)
    assert.deepEqual(afterwards.filter((key) => before.includes(key)), [], 'old objects are gone, new ones have new keys')
    const gone = await get(oldUrl)
    assert.equal(gone.status, 404)
    await gone.arrayBuffer()
  })
})
