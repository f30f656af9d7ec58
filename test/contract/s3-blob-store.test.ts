import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { S3BlobStore } from '../../src/storage/s3-blob-store.js'
import { createTestBucket, s3StoreOptions, testS3OrSkip, type TestBucket, type TestS3 } from '../helpers/s3.js'
import { collect, readAll, runBlobStoreContract, streamOf } from './blob-store.contract.js'

// S3BlobStore on a real S3 server (Ceph RGW from scripts/rgw.sh). Each suite gets a bucket of its own.

const { s3, skip } = testS3OrSkip()

if (s3) {
  runBlobStoreContract('S3BlobStore (key prefix retake/)', async () => {
    const bucket = await createTestBucket(s3)
    const store = new S3BlobStore({ ...s3StoreOptions(s3), bucket: bucket.name, prefix: 'retake/' })
    return { store, cleanup: async () => (await store.close(), await bucket.drop()) }
  })
}

describe('S3BlobStore on S3', { skip }, () => {
  let bucket: TestBucket
  let store: S3BlobStore
  before(async () => {
    bucket = await createTestBucket(s3!)
    store = new S3BlobStore({ ...s3StoreOptions(s3!), bucket: bucket.name, prefix: 'p/', listPageSize: 2 })
  })
  after(async () => {
    await store?.close()
    await bucket?.drop()
  })
  const head = (key: string) => bucket.client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key }))

  test('objects lie at prefix + key with the media type of their extension', async () => {
    await store.put('photos/1/a_o.png', Buffer.from('png bytes'))
    await store.put('photos/1/a_b.jpg', streamOf(Buffer.from('jpeg bytes')))
    assert.equal((await head('p/photos/1/a_o.png')).ContentType, 'image/png')
    assert.equal((await head('p/photos/1/a_b.jpg')).ContentType, 'image/jpeg')
  })

  test('a streamed body over the part size goes multipart; a small one in one PUT', async () => {
    const big = await store.put('mp/big_o.jpg', streamOf(randomBytes(21 * 1024 * 1024), 256 * 1024))
    assert.match(big.etag, /^"[0-9a-f]{32}-3"$/, '21 MiB in 8 MiB parts: three parts')
    const small = await store.put('mp/small_o.jpg', streamOf(randomBytes(1024 * 1024)))
    assert.match(small.etag, /^"[0-9a-f]{32}"$/)
  })

  test('a multipart body that fails mid-way is aborted: no object, no upload left behind', async () => {
    const failing = streamOf(randomBytes(20 * 1024 * 1024), 256 * 1024, 12 * 1024 * 1024)
    await assert.rejects(store.put('mp/failed_o.jpg', failing), /client went away/)
    assert.equal(await store.stat('mp/failed_o.jpg'), undefined)
    const uploads = await bucket.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name }))
    assert.deepEqual(uploads.Uploads ?? [], [])
  })

  test('list pages through every key, strips the prefix and skips objects that are not keys', async () => {
    const keys = ['l/1.jpg', 'l/2.jpg', 'l/3.jpg', 'l/4/5.jpg', 'l/6.jpg']
    for (const key of keys) await store.put(key, Buffer.from(key))
    for (const foreign of ['p/l/', 'p/l/.hidden', 'l/outside-the-prefix.jpg']) {
      await bucket.client.send(new PutObjectCommand({ Bucket: bucket.name, Key: foreign, Body: 'x' }))
    }
    assert.deepEqual(await collect(store.list('l/')), keys)
  })

  test('a range of a multipart object crossing a part boundary', async () => {
    const data = randomBytes(17 * 1024 * 1024)
    await store.put('mp/ranged_o.jpg', streamOf(data, 1024 * 1024))
    const start = 8 * 1024 * 1024 - 100
    const read = await readAll(await store.get('mp/ranged_o.jpg', { start, end: start + 199 }))
    assert.deepEqual(read, data.subarray(start, start + 200))
  })
})

describe('S3BlobStore.checkBucket', { skip }, () => {
  const open = (options: Partial<ConstructorParameters<typeof S3BlobStore>[0]>) =>
    new S3BlobStore({ ...s3StoreOptions(s3 as TestS3), bucket: 'retake-no-such-bucket', ...options })

  test('names a missing bucket and bad credentials', async () => {
    const bucket = await createTestBucket(s3!)
    const stores = [
      open({}),
      open({ bucket: bucket.name, credentials: { accessKeyId: s3!.accessKeyId, secretAccessKey: 'wrong' } }),
      open({ bucket: bucket.name }),
    ]
    try {
      await assert.rejects(stores[0]!.checkBucket(), /S3 bucket retake-no-such-bucket does not exist/)
      await assert.rejects(stores[1]!.checkBucket(), /is not accessible with these credentials/)
      await stores[2]!.checkBucket()
    } finally {
      await Promise.all(stores.map((store) => store.close()))
      await bucket.drop()
    }
  })
})
