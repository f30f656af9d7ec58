import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import sharp from 'sharp'
import { FsBlobStore } from '../../src/storage/fs-blob-store.js'
import { migrateBlobs } from '../../src/storage/migrate-blobs.js'
import { S3BlobStore } from '../../src/storage/s3-blob-store.js'
import { readAll } from '../contract/blob-store.contract.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { createTestBucket, s3StoreOptions, testS3OrSkip, type TestBucket } from '../helpers/s3.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'

// `retake migrate-storage --to s3` over a data folder of 50 photos uploaded through the API: every
// blob arrives byte for byte, an interrupted run resumes, and a key holding other bytes is reported,
// never overwritten.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'retake')
const PHOTOS = 50
const { s3, skip } = testS3OrSkip()

describe('migrate-storage: data folder to S3', { skip }, () => {
  let server: TestServer
  let bucket: TestBucket
  let source: FsBlobStore
  let target: S3BlobStore
  let keys: string[]

  before(async () => {
    server = await startTestServer()
    const uploader = await server.createUploader()
    for (let i = 0; i < PHOTOS; i++) {
      const background = { r: (i * 47) % 256, g: (i * 91) % 256, b: (i * 13) % 256 }
      const data = await sharp({ create: { width: 320 + i, height: 240, channels: 3, background } }).jpeg().toBuffer()
      const url = `${server.url}/services/upload/`
      const response = await photoCall({ url, fields: {}, file: { data }, consumer: uploader.consumer, token: uploader.token, dispatcher: server.dispatcher })
      assert.ok(parsePhotoResponse(response.body).id, response.body)
    }
    source = new FsBlobStore(join(server.dataDir, 'blobs'))
    keys = []
    for await (const key of source.list('')) keys.push(key)
    keys.sort()
    bucket = await createTestBucket(s3!)
    target = new S3BlobStore({ ...s3StoreOptions(s3!), bucket: bucket.name })
  })
  after(async () => {
    await target?.close()
    await bucket?.drop()
    await server?.close()
  })

  it('copies every blob byte for byte, resuming a partial copy and reporting a conflicting key', async () => {
    assert.ok(keys.length >= PHOTOS * 3, `${keys.length} blobs`)
    // A run cut short: five blobs already there, and one key someone filled with other bytes.
    for (const key of keys.slice(0, 5)) await target.put(key, await readAll(await source.get(key)))
    const conflicting = keys[5]!
    await bucket.client.send(new PutObjectCommand({ Bucket: bucket.name, Key: conflicting, Body: 'not the photo' }))

    const report = await migrateBlobs(source, target, { concurrency: 3 })
    assert.deepEqual(report.conflicts, [conflicting])
    assert.equal(report.skipped, 5)
    assert.equal(report.copied, keys.length - 6)
    assert.equal(report.vanished, 0)
    for (const key of keys) {
      if (key === conflicting) continue
      assert.ok((await readAll(await target.get(key))).equals(await readAll(await source.get(key))), key)
    }
    assert.equal((await readAll(await target.get(conflicting))).toString(), 'not the photo', 'never overwritten')
  })

  it('the CLI finishes the job once the conflict is cleared, and a rerun copies nothing', async () => {
    const conflicting = keys[5]!
    await bucket.client.send(new DeleteObjectCommand({ Bucket: bucket.name, Key: conflicting }))
    const env = {
      ...process.env,
      RETAKE_S3_BUCKET: bucket.name,
      RETAKE_S3_ENDPOINT: s3!.endpoint,
      RETAKE_S3_REGION: s3!.region,
      RETAKE_S3_ACCESS_KEY_ID: s3!.accessKeyId,
      RETAKE_S3_SECRET_ACCESS_KEY: s3!.secretAccessKey,
      RETAKE_S3_FORCE_PATH_STYLE: 'true',
    }
    const args = [BIN, 'migrate-storage', '--to', 's3', '--data', server.dataDir]
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, env, timeout: 120_000 })
    const first = JSON.parse(stdout) as { copied: number; skipped: number; conflicts: string[] }
    assert.deepEqual({ copied: first.copied, skipped: first.skipped, conflicts: first.conflicts }, { copied: 1, skipped: keys.length - 1, conflicts: [] })
    assert.ok((await readAll(await target.get(conflicting))).equals(await readAll(await source.get(conflicting))))
    const again = await migrateBlobs(source, target)
    assert.deepEqual({ copied: again.copied, skipped: again.skipped }, { copied: 0, skipped: keys.length })
  })
})
