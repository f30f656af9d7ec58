import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { BlobExistsError, BlobNotFoundError, InvalidBlobKeyError } from '../../src/storage/blob-store.js'
import type { BlobKey, BlobStore } from '../../src/storage/blob-store.js'

// The behaviour every BlobStore must show (tus-node-server's stores.ts idea). Each implementation's
// test file calls runBlobStoreContract; all tests share one store and keep to their own key prefix.

export interface BlobStoreUnderTest {
  store: BlobStore
  cleanup: () => Promise<void>
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** `data` in chunks of `chunkSize`, failing with 'client went away' after `failAfter` bytes if given. */
export function streamOf(data: Buffer, chunkSize = 64 * 1024, failAfter?: number): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += chunkSize) {
        if (failAfter !== undefined && offset >= failAfter) throw new Error('client went away')
        yield data.subarray(offset, offset + chunkSize)
      }
    })(),
  )
}

export const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex')

export async function collect(keys: AsyncIterable<BlobKey>): Promise<BlobKey[]> {
  const out: BlobKey[] = []
  for await (const key of keys) out.push(key)
  return out.sort()
}

export function runBlobStoreContract(name: string, makeStore: () => Promise<BlobStoreUnderTest>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore
    let cleanup: () => Promise<void>
    let staging: string
    let counter = 0
    /** A fresh key prefix per test, so tests never see each other's blobs. */
    const area = () => `contract/${process.pid}-${++counter}`

    before(async () => {
      ;({ store, cleanup } = await makeStore())
      staging = await mkdtemp(join(tmpdir(), 'retake-blob-contract-'))
    })
    after(async () => {
      await cleanup()
      await rm(staging, { recursive: true, force: true })
    })

    test('put a Buffer, get it back, stat agrees with put', async () => {
      const key = `${area()}/a1b2c3d4e5_s.jpg`
      const data = randomBytes(1000)
      const stored = await store.put(key, data)
      assert.equal(stored.key, key)
      assert.equal(stored.size, 1000)
      assert.equal(stored.contentType, 'image/jpeg')
      assert.match(stored.etag, /^"[^"]+"$/)
      assert.ok(stored.modifiedAt instanceof Date && !Number.isNaN(stored.modifiedAt.getTime()))
      assert.deepEqual(await readAll(await store.get(key)), data)
      const stat = await store.stat(key)
      assert.deepEqual({ ...stat, modifiedAt: stat?.modifiedAt.getTime() }, { ...stored, modifiedAt: stored.modifiedAt.getTime() })
    })

    test('put a 5 MB stream, get the same bytes', async () => {
      const key = `${area()}/big_o.jpg`
      const data = randomBytes(5 * 1024 * 1024 + 17)
      const stored = await store.put(key, streamOf(data))
      assert.equal(stored.size, data.length)
      assert.equal(sha1(await readAll(await store.get(key))), sha1(data))
    })

    test('zero-byte blob', async () => {
      const key = `${area()}/empty.jpg`
      assert.equal((await store.put(key, Buffer.alloc(0))).size, 0)
      assert.equal((await readAll(await store.get(key))).length, 0)
      assert.equal((await readAll(await store.get(key, { start: 0, end: 0 }))).length, 0)
    })

    test('range reads are inclusive and clamp at the end', async () => {
      const key = `${area()}/r.jpg`
      const data = randomBytes(3 * 1024 * 1024)
      await store.put(key, data)
      const read = async (start: number, end: number) => readAll(await store.get(key, { start, end }))
      assert.deepEqual(await read(0, 0), data.subarray(0, 1))
      assert.deepEqual(await read(0, 99), data.subarray(0, 100))
      assert.deepEqual(await read(1_000_000, 2_500_000), data.subarray(1_000_000, 2_500_001))
      assert.deepEqual(await read(data.length - 1, data.length - 1), data.subarray(data.length - 1))
      assert.deepEqual(await read(data.length - 10, data.length + 1000), data.subarray(data.length - 10))
      assert.equal((await read(data.length, data.length + 10)).length, 0, 'a range starting past the end reads nothing')
      await assert.rejects(store.get(key, { start: 10, end: 5 }), RangeError)
      await assert.rejects(store.get(key, { start: -1, end: 5 }), RangeError)
    })

    test('absent keys: stat is undefined, get throws BlobNotFoundError', async () => {
      const key = `${area()}/missing.jpg`
      assert.equal(await store.stat(key), undefined)
      await assert.rejects(store.get(key), (error: unknown) => error instanceof BlobNotFoundError && error.key === key)
      await assert.rejects(store.get(key, { start: 0, end: 1 }), BlobNotFoundError)
    })

    test('a folder of keys is not itself a blob', async () => {
      const dir = area()
      await store.put(`${dir}/x/y.jpg`, Buffer.from('y'))
      assert.equal(await store.stat(`${dir}/x`), undefined)
      await assert.rejects(store.get(`${dir}/x`), BlobNotFoundError)
      await store.delete(`${dir}/x`)
      assert.ok(await store.stat(`${dir}/x/y.jpg`))
    })

    test('delete removes the blob and is idempotent', async () => {
      const key = `${area()}/d.jpg`
      await store.put(key, Buffer.from('bytes'))
      await store.delete(key)
      assert.equal(await store.stat(key), undefined)
      await assert.rejects(store.get(key), BlobNotFoundError)
      await store.delete(key)
      await store.delete(`${area()}/never-existed/x.jpg`)
    })

    test('delete keeps sibling blobs, and a key can be written again in a pruned folder', async () => {
      const dir = area()
      await store.put(`${dir}/p/1.jpg`, Buffer.from('1'))
      await store.put(`${dir}/p/2.jpg`, Buffer.from('2'))
      await store.delete(`${dir}/p/1.jpg`)
      assert.equal((await readAll(await store.get(`${dir}/p/2.jpg`))).toString(), '2')
      await store.delete(`${dir}/p/2.jpg`)
      await store.put(`${dir}/p/3.jpg`, Buffer.from('3'))
      assert.deepEqual(await collect(store.list(`${dir}/`)), [`${dir}/p/3.jpg`])
    })

    test('list by prefix: folders, partial segments, nothing else', async () => {
      const dir = area()
      const keys = [`${dir}/1/a.jpg`, `${dir}/1/b.jpg`, `${dir}/10/a.jpg`, `${dir}/2/a.jpg`, `${dir}/top.jpg`]
      for (const key of keys) await store.put(key, Buffer.from(key))
      assert.deepEqual(await collect(store.list(`${dir}/`)), keys)
      assert.deepEqual(await collect(store.list(`${dir}/1/`)), keys.slice(0, 2))
      assert.deepEqual(await collect(store.list(`${dir}/1`)), keys.slice(0, 3))
      assert.deepEqual(await collect(store.list(`${dir}/1/a`)), keys.slice(0, 1))
      assert.deepEqual(await collect(store.list(`${dir}/t`)), keys.slice(4))
      assert.deepEqual(await collect(store.list(`${dir}/nothing/`)), [])
      assert.ok((await collect(store.list(''))).includes(keys[0]!))
    })

    test('keys that could escape the store or are malformed are rejected everywhere', async () => {
      const bad = ['', '../x.jpg', 'a/../../x.jpg', 'a/..', '/etc/passwd', 'a\\b.jpg', 'a\0b.jpg', 'a//b.jpg',
        'a/', './a.jpg', 'a/.hidden', 'a..b/c.jpg', 'a/\nb.jpg', 'x'.repeat(1025)]
      for (const key of bad) {
        await assert.rejects(store.put(key, Buffer.from('x')), InvalidBlobKeyError, JSON.stringify(key))
        await assert.rejects(store.get(key), InvalidBlobKeyError)
        await assert.rejects(store.stat(key), InvalidBlobKeyError)
        await assert.rejects(store.delete(key), InvalidBlobKeyError)
      }
      await assert.rejects(collect(store.list('../')), InvalidBlobKeyError)
      await assert.rejects(collect(store.list('/')), InvalidBlobKeyError)
    })

    test('a body that fails mid-way leaves no blob behind', async () => {
      const dir = area()
      const key = `${dir}/fail.jpg`
      await assert.rejects(store.put(key, streamOf(randomBytes(2 * 1024 * 1024), 64 * 1024, 1024 * 1024)), /client went away/)
      assert.equal(await store.stat(key), undefined)
      assert.deepEqual(await collect(store.list(`${dir}/`)), [])
    })

    test('keys are immutable: a put to a stored key fails with BlobExistsError and keeps the bytes', async () => {
      const key = `${area()}/once.jpg`
      const first = await store.put(key, Buffer.from('first version'))
      const path = join(staging, `again-${counter}`)
      await writeFile(path, 'from a file')
      const attempts = [
        () => store.put(key, Buffer.from('second')),
        () => store.put(key, streamOf(randomBytes(256 * 1024), 64 * 1024)),
        () => store.putFile(key, path),
      ]
      for (const attempt of attempts) {
        await assert.rejects(attempt(), (error: unknown) => error instanceof BlobExistsError && error.key === key)
      }
      // A body failing mid-way may fail as itself or as the existing key; either way nothing changes.
      await assert.rejects(store.put(key, streamOf(randomBytes(256 * 1024), 64 * 1024, 128 * 1024)))
      assert.equal((await readAll(await store.get(key))).toString(), 'first version')
      assert.equal((await store.stat(key))?.etag, first.etag)
    })

    test('concurrent puts to one new key: exactly one wins, whole', async () => {
      const key = `${area()}/race.jpg`
      const bodies = Array.from({ length: 5 }, (_, i) => Buffer.alloc(50_000 + i, i))
      const results = await Promise.allSettled(bodies.map((body) => store.put(key, body)))
      const won = results.flatMap((result, i) => (result.status === 'fulfilled' ? [i] : []))
      assert.equal(won.length, 1, 'one put succeeds')
      for (const result of results) {
        if (result.status === 'rejected') assert.ok(result.reason instanceof BlobExistsError, String(result.reason))
      }
      assert.deepEqual(await readAll(await store.get(key)), bodies[won[0]!])
    })

    test('a reader holding a stream keeps its bytes while the key is deleted', async () => {
      const key = `${area()}/held.jpg`
      const data = randomBytes(2 * 1024 * 1024)
      await store.put(key, data)
      const stream = await store.get(key)
      await store.delete(key)
      assert.equal(sha1(await readAll(stream)), sha1(data))
    })

    test('get streams destroyed unread release what they hold', async () => {
      const key = `${area()}/abandoned.jpg`
      await store.put(key, randomBytes(1024 * 1024))
      // More than any connection pool: a stream that kept its connection would stall the loop.
      for (let i = 0; i < 80; i++) (await store.get(key, i % 2 ? { start: 10, end: 500_000 } : undefined)).destroy()
      assert.equal((await readAll(await store.get(key, { start: 0, end: 9 }))).length, 10)
    })

    test('a 21 MB stream and a 21 MB file go in whole (multipart where the backend has it)', async () => {
      const dir = area()
      const data = randomBytes(21 * 1024 * 1024 + 3)
      const streamed = await store.put(`${dir}/streamed_o.jpg`, streamOf(data, 256 * 1024))
      const path = join(staging, `big-${counter}`)
      await writeFile(path, data)
      const filed = await store.putFile(`${dir}/filed_o.jpg`, path)
      for (const stored of [streamed, filed]) {
        assert.equal(stored.size, data.length)
        assert.match(stored.etag, /^"[^"]+"$/)
        assert.equal((await store.stat(stored.key))?.etag, stored.etag)
        assert.equal(sha1(await readAll(await store.get(stored.key))), sha1(data))
        const tail = await readAll(await store.get(stored.key, { start: data.length - 1000, end: data.length + 5 }))
        assert.deepEqual(tail, data.subarray(data.length - 1000))
      }
      await assert.rejects(store.put(`${dir}/streamed_o.jpg`, streamOf(data, 256 * 1024)), BlobExistsError)
    })

    test('concurrent puts to different keys', async () => {
      const dir = area()
      const blobs = Array.from({ length: 24 }, (_, i) => ({ key: `${dir}/${i % 3}/${i}.jpg`, data: randomBytes(100_000 + i) }))
      await Promise.all(blobs.map(({ key, data }) => store.put(key, streamOf(data, 16 * 1024))))
      for (const { key, data } of blobs) assert.equal(sha1(await readAll(await store.get(key))), sha1(data))
      assert.equal((await collect(store.list(`${dir}/`))).length, blobs.length)
    })

    test('concurrent puts and deletes in one folder do not trip over folder pruning', async () => {
      const dir = `${area()}/shared`
      for (let round = 0; round < 20; round++) {
        await store.put(`${dir}/old-${round}.jpg`, Buffer.from('o'))
        await Promise.all([store.delete(`${dir}/old-${round}.jpg`), store.put(`${dir}/new-${round}.jpg`, Buffer.from('n'))])
        assert.ok(await store.stat(`${dir}/new-${round}.jpg`), `round ${round}`)
      }
    })

    test('putFile copies a finished local file in and leaves the source alone', async () => {
      const dir = area()
      const path = join(staging, `staged-${counter}`)
      const data = randomBytes(1_500_000)
      await writeFile(path, data)
      const stored = await store.putFile(`${dir}/a_o.jpg`, path)
      assert.equal(stored.size, data.length)
      assert.equal(stored.contentType, 'image/jpeg')
      assert.deepEqual(await readFile(path), data, 'the source is still there, unchanged')
      await store.delete(`${dir}/a_o.jpg`)
      assert.deepEqual(await readFile(path), data, 'deleting the blob leaves the source')
      await store.putFile(`${dir}/b_o.jpg`, path)
      await unlink(path)
      assert.equal(sha1(await readAll(await store.get(`${dir}/b_o.jpg`))), sha1(data), 'the blob outlives its source')
    })

    test('putFile of a missing file fails and writes nothing', async () => {
      const key = `${area()}/nofile.jpg`
      await assert.rejects(store.putFile(key, join(staging, 'does-not-exist')))
      assert.equal(await store.stat(key), undefined)
    })
  })
}
