import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { FsBlobStore } from '../../src/storage/fs-blob-store.js'
import { readAll, runBlobStoreContract } from './blob-store.contract.js'

const newRoot = () => mkdtemp(join(tmpdir(), 'retake-fs-blobs-'))

runBlobStoreContract('FsBlobStore', async () => {
  const root = await newRoot()
  return { store: new FsBlobStore(root), cleanup: () => rm(root, { recursive: true, force: true }) }
})

test('FsBlobStore: blobs are plain files at <root>/<key>, temp files are hidden and cleaned up', async (t) => {
  const root = await newRoot()
  t.after(() => rm(root, { recursive: true, force: true }))
  const store = new FsBlobStore(root)
  await store.put('photos/123/abc_o.jpg', Buffer.from('hello'))
  assert.equal((await stat(join(root, 'photos/123/abc_o.jpg'))).size, 5)
  const failing = Readable.from(
    (function* () {
      yield Buffer.from('partial')
      throw new Error('boom')
    })(),
  )
  await assert.rejects(store.put('photos/123/def_o.jpg', failing), /boom/)
  assert.deepEqual(await readdir(join(root, 'photos/123')), ['abc_o.jpg'])
})

test('FsBlobStore: putFile gives a private staged file the mode of every blob', async (t) => {
  const root = await newRoot()
  t.after(() => rm(root, { recursive: true, force: true }))
  const store = new FsBlobStore(root)
  const staged = join(root, '.staged')
  await writeFile(staged, 'x', { mode: 0o600 })
  await store.putFile('a/b.jpg', staged)
  await store.put('a/c.jpg', Buffer.from('x'))
  assert.equal((await stat(join(root, 'a/b.jpg'))).mode & 0o777, 0o644)
  assert.equal((await stat(join(root, 'a/c.jpg'))).mode & 0o777, 0o644 & ~process.umask())
})

test('FsBlobStore: putFile on the same filesystem links the file in instead of copying it', async (t) => {
  const root = await newRoot()
  t.after(() => rm(root, { recursive: true, force: true }))
  const store = new FsBlobStore(root)
  const staged = join(root, '.staged')
  await writeFile(staged, randomBytes(4096))
  await store.putFile('a/b.jpg', staged)
  assert.equal((await stat(join(root, 'a/b.jpg'))).ino, (await stat(staged)).ino)
})

test('FsBlobStore: contentType comes from the key extension', async (t) => {
  const root = await newRoot()
  t.after(() => rm(root, { recursive: true, force: true }))
  const store = new FsBlobStore(root)
  const types = { 'a.PNG': 'image/png', 'a.gif': 'image/gif', 'a.heic': 'image/heic', 'a.bin': 'application/octet-stream', noext: 'application/octet-stream' }
  for (const [key, type] of Object.entries(types)) {
    assert.equal((await store.put(key, Buffer.from('x'))).contentType, type)
    assert.equal((await store.stat(key))?.contentType, type)
  }
})

test('FsBlobStore: delete prunes empty folders up to, not including, the root', async (t) => {
  const root = await newRoot()
  t.after(() => rm(root, { recursive: true, force: true }))
  const store = new FsBlobStore(root)
  await store.put('photos/1/a.jpg', Buffer.from('a'))
  await store.put('photos/2/b.jpg', Buffer.from('b'))
  await store.delete('photos/1/a.jpg')
  assert.deepEqual(await readdir(join(root, 'photos')), ['2'])
  await store.delete('photos/2/b.jpg')
  assert.deepEqual(await readdir(root), [])
})

test('FsBlobStore: a root given with a trailing slash works', async (t) => {
  const root = await newRoot()
  t.after(() => rm(root, { recursive: true, force: true }))
  const store = new FsBlobStore(`${root}/`)
  await store.put('k.jpg', Buffer.from('k'))
  assert.equal((await readAll(await store.get('k.jpg'))).toString(), 'k')
})

test('FsBlobStore: putFile copies across filesystems (EXDEV) and leaves the source', async (t) => {
  const shm = '/dev/shm'
  const [shmDev, tmpDev] = await Promise.all([stat(shm).then((s) => s.dev, () => undefined), stat(tmpdir()).then((s) => s.dev)])
  if (shmDev === undefined || shmDev === tmpDev) {
    t.skip('no second filesystem available')
    return
  }
  const root = await newRoot()
  const stagingDir = await mkdtemp(join(shm, 'retake-staging-'))
  t.after(() => Promise.all([rm(root, { recursive: true, force: true }), rm(stagingDir, { recursive: true, force: true })]))
  const store = new FsBlobStore(root)
  const data = randomBytes(3 * 1024 * 1024)
  const source = join(stagingDir, 'upload')
  await writeFile(source, data)
  const stored = await store.putFile('photos/9/x_o.jpg', source)
  assert.equal(stored.size, data.length)
  assert.deepEqual(await readAll(await store.get('photos/9/x_o.jpg')), data)
  assert.deepEqual(await readFile(source), data)
  assert.deepEqual(await readdir(join(root, 'photos/9')), ['x_o.jpg'])
})

test('FsBlobStore: list skips files that are not keys (temp files) and follows no symlinked folders out', async (t) => {
  const root = await newRoot()
  const outside = await newRoot()
  t.after(() => Promise.all([rm(root, { recursive: true, force: true }), rm(outside, { recursive: true, force: true })]))
  const store = new FsBlobStore(root)
  await store.put('photos/1/a.jpg', Buffer.from('a'))
  await writeFile(join(root, 'photos/1/.a.jpg.0123.tmp'), 'partial')
  await writeFile(join(outside, 'secret.jpg'), 'secret')
  await mkdir(join(root, 'photos/2'))
  await symlink(outside, join(root, 'photos/2/link'))
  const keys: string[] = []
  for await (const key of store.list('photos/')) keys.push(key)
  assert.deepEqual(keys, ['photos/1/a.jpg'])
})
