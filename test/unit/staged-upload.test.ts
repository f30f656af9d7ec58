import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import Fastify from 'fastify'
import { readMultipart } from '../../src/http/multipart.js'
import { StagingError, stageUpload } from '../../src/domain/photos/staged-upload.js'

const MiB = 1024 * 1024
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'retake-staging-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

function chunked(data: Buffer, chunkSize = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += chunkSize) yield data.subarray(offset, offset + chunkSize)
    })(),
  )
}

function isStagingError(reason: StagingError['reason']) {
  return (error: unknown) => error instanceof StagingError && error.reason === reason
}

test('stages a file: bytes, sha256 and content match; discard removes it and is idempotent', async (t) => {
  const dir = await tempDir(t)
  const data = randomBytes(3 * MiB + 123)
  const staged = await stageUpload(chunked(data), { dir, maxBytes: 10 * MiB })
  assert.equal(staged.bytes, data.length)
  assert.equal(staged.sha256, sha256(data))
  assert.ok(staged.path.startsWith(dir))
  assert.deepEqual(await readFile(staged.path), data)
  await staged.discard()
  assert.deepEqual(await readdir(dir), [])
  await staged.discard()
})

test('zero bytes is staged (the caller decides whether that is an error)', async (t) => {
  const dir = await tempDir(t)
  const staged = await stageUpload(Readable.from([]), { dir, maxBytes: 10 })
  assert.equal(staged.bytes, 0)
  assert.equal(staged.sha256, sha256(Buffer.alloc(0)))
  assert.equal((await readFile(staged.path)).length, 0)
})

test('exactly maxBytes passes, one more byte fails', async (t) => {
  const dir = await tempDir(t)
  const data = randomBytes(1000)
  assert.equal((await stageUpload(chunked(data, 100), { dir, maxBytes: 1000 })).bytes, 1000)
  await assert.rejects(stageUpload(chunked(Buffer.concat([data, Buffer.from('x')]), 100), { dir, maxBytes: 1000 }), isStagingError('too-large'))
  assert.equal((await readdir(dir)).length, 1)
})

test('a 50 MB stream over a 1 MB limit fails early, reads little and leaves no file', async (t) => {
  const dir = await tempDir(t)
  let produced = 0
  let destroyed = false
  const source = Readable.from(
    (function* () {
      while (produced < 50 * MiB) {
        produced += 64 * 1024
        yield Buffer.alloc(64 * 1024, 1)
      }
    })(),
  )
  source.once('close', () => (destroyed = true))
  const heapBefore = process.memoryUsage().heapUsed
  await assert.rejects(stageUpload(source, { dir, maxBytes: MiB }), isStagingError('too-large'))
  assert.ok(produced < 3 * MiB, `read ${produced} bytes before failing`)
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 20 * MiB)
  assert.equal(destroyed, true, 'the source is destroyed')
  assert.deepEqual(await readdir(dir), [])
})

test('a source that errors mid-way is truncated, keeps the cause and leaves no file', async (t) => {
  const dir = await tempDir(t)
  const cause = new Error('connection reset')
  const source = Readable.from(
    (function* () {
      yield randomBytes(2 * MiB)
      throw cause
    })(),
  )
  await assert.rejects(stageUpload(source, { dir, maxBytes: 10 * MiB }), (error: unknown) => {
    assert.ok(error instanceof StagingError)
    assert.equal(error.reason, 'truncated')
    assert.equal(error.cause, cause)
    return true
  })
  assert.deepEqual(await readdir(dir), [])
})

test('a source destroyed without an error (aborted request) is truncated', async (t) => {
  const dir = await tempDir(t)
  // The first chunk reaches the file; asked for more, the source is destroyed, as a client aborting mid-body.
  let chunksRead = 0
  const source = new Readable({
    read() {
      if (chunksRead++ === 0) this.push(randomBytes(100_000))
      else this.destroy()
    },
  })
  await assert.rejects(stageUpload(source, { dir, maxBytes: 10 * MiB }), isStagingError('truncated'))
  assert.equal(chunksRead, 2, 'the source was read, then destroyed')
  assert.deepEqual(await readdir(dir), [])
})

test('an early error, before the file is even open, leaves no file either', async (t) => {
  const dir = await tempDir(t)
  const source = new Readable({ read() {} })
  process.nextTick(() => source.destroy(new Error('gone')))
  await assert.rejects(stageUpload(source, { dir, maxBytes: 10 }), isStagingError('truncated'))
  // stageUpload settles only once its write stream (if any) has closed, so nothing can appear later.
  assert.equal(source.destroyed, true)
  assert.deepEqual(await readdir(dir), [])
})

test('an error emitted (not destroyed) while the folder is made, as busboy reports a cut body, fails instead of hanging', async (t) => {
  const dir = await tempDir(t)
  const source = new Readable({ read() {} })
  // busboy emits 'error' on the file stream without destroying it: a pipeline started later would wait for ever.
  process.nextTick(() => source.emit('error', new Error('Part terminated early due to unexpected end of multipart data')))
  await assert.rejects(stageUpload(source, { dir: join(dir, 'not-yet-made'), maxBytes: 10 }), isStagingError('truncated'))
  assert.deepEqual(await readdir(join(dir, 'not-yet-made')), [])
})

test('isTruncated after the end (multipart fileSize limit) counts as too-large and removes the file', async (t) => {
  const dir = await tempDir(t)
  await assert.rejects(stageUpload(chunked(randomBytes(1000)), { dir, maxBytes: 10_000, isTruncated: () => true }), isStagingError('too-large'))
  assert.deepEqual(await readdir(dir), [])
})

test('a staging folder that cannot be used is an io error', async (t) => {
  const dir = await tempDir(t)
  const notADir = join(dir, 'file')
  await writeFile(notADir, 'x')
  await assert.rejects(stageUpload(chunked(randomBytes(10)), { dir: notADir, maxBytes: 100 }), isStagingError('io'))
  await assert.rejects(stageUpload(chunked(randomBytes(10)), { dir: join(notADir, 'sub'), maxBytes: 100 }), isStagingError('io'))
})

// The real source: a busboy file part as Retake's multipart reader hands it over, fed by inject().
async function multipartApp(dir: string, fileSize: number, maxBytes: number) {
  const app = Fastify()
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined))
  app.post('/upload', async (request) => {
    let result: Record<string, unknown> = { error: 'no file' }
    const limits = { fileSize, files: 1, fields: 10, fieldSize: 1024, parts: 11 }
    await readMultipart(request, limits, async (part) => {
      try {
        const staged = await stageUpload(part.stream, { dir, maxBytes, isTruncated: part.truncated })
        result = { bytes: staged.bytes, sha256: staged.sha256 }
      } catch (error) {
        result = { error: error instanceof StagingError ? error.reason : String(error) }
        part.stream.resume()
      }
    }).catch((error: unknown) => {
      if (!('error' in result) || result.error === 'no file') result = { error: String(error) }
    })
    return result
  })
  return app
}

function multipartBody(file: Buffer, boundary = 'retakeboundary') {
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`)
  const tail = Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nA title\r\n--${boundary}--\r\n`)
  return { body: Buffer.concat([head, file, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, headLength: head.length }
}

test('multipart reader: a complete file part is staged', async (t) => {
  const dir = await tempDir(t)
  const app = await multipartApp(dir, 10 * MiB, 10 * MiB)
  t.after(() => app.close())
  const file = randomBytes(2 * MiB)
  const { body, headers } = multipartBody(file)
  const response = await app.inject({ method: 'POST', url: '/upload', payload: body, headers })
  assert.deepEqual(response.json(), { bytes: file.length, sha256: sha256(file) })
})

test('multipart reader: a body cut off inside the file is truncated', async (t) => {
  const dir = await tempDir(t)
  const app = await multipartApp(dir, 10 * MiB, 10 * MiB)
  t.after(() => app.close())
  const { body, headers, headLength } = multipartBody(randomBytes(MiB))
  const response = await app.inject({ method: 'POST', url: '/upload', payload: body.subarray(0, headLength + 500_000), headers })
  assert.deepEqual(response.json(), { error: 'truncated' })
  assert.deepEqual(await readdir(dir), [])
})

test('multipart reader: its fileSize limit or ours, either way too-large', async (t) => {
  const dir = await tempDir(t)
  const { body, headers } = multipartBody(randomBytes(MiB))
  for (const [fileSize, maxBytes] of [[100_000, 10 * MiB], [10 * MiB, 100_000]] as const) {
    const app = await multipartApp(dir, fileSize, maxBytes)
    const response = await app.inject({ method: 'POST', url: '/upload', payload: body, headers })
    await app.close()
    assert.deepEqual(response.json(), { error: 'too-large' }, `fileSize ${fileSize}, maxBytes ${maxBytes}`)
    assert.deepEqual(await readdir(dir), [])
  }
})
