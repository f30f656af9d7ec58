import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { insertPhotos, restCaller, storedMembers, type Json, type Token } from '../helpers/album-fixtures.js'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg } from '../helpers/images.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestServer, type TestUploader } from '../helpers/start-server.js'

// What happens to sets when their photos change: deletes (leave every set, new primary, empty set
// goes), replace (sets and places kept, the primary thumbnail follows the new secret), and concurrent
// addPhoto/removePhoto on one set (no duplicate, no gap).

for (const backend of testBackends()) {
  describe(`album lifecycle (${backend.name})`, () => {
    let server: TestServer
    let uploader: TestUploader
    let write: Token
    let remover: Token
    let call: ReturnType<typeof restCaller>

    before(async () => {
      server = await startTestServer({ backend })
      uploader = await server.createUploader('alice')
      write = { token: uploader.token.key, secret: uploader.token.secret }
      remover = await server.createToken(uploader.user, uploader.app, 'delete')
      call = restCaller(server, uploader.app)
    })
    after(() => server.close())

    const photos = (count: number, prefix: string) => insertPhotos(server.running.services, uploader.user.nsid, Array.from({ length: count }, (_, i) => ({ title: `${prefix} ${i}` })))

    async function setWith(title: string, ids: string[]): Promise<string> {
      const id = (await call(write, { method: 'flickr.photosets.create', title, primary_photo_id: ids[0]! })).photoset.id
      if (ids.length > 1) await call(write, { method: 'flickr.photosets.editPhotos', photoset_id: id, primary_photo_id: ids[0]!, photo_ids: ids.join(',') })
      return id
    }
    const members = async (id: string) => (await storedMembers(server.running.services, id)).map((m) => m.photoId)
    const info = async (id: string) => (await call(write, { method: 'flickr.photosets.getInfo', photoset_id: id })).photoset

    it('photos.delete: the photo leaves every set, gaps close, a set whose primary goes takes another, a set left empty is deleted', async () => {
      const [a, b, c, d] = await photos(4, 'Doomed')
      const first = await setWith('First', [a!, b!, c!])
      const second = await setWith('Second', [b!, d!])
      const lonely = await setWith('Lonely', [a!])
      assert.deepEqual(await call(remover, { method: 'flickr.photos.delete', photo_id: a! }), { stat: 'ok' })
      assert.deepEqual(await members(first), [b, c])
      assert.deepEqual((await storedMembers(server.running.services, first)).map((m) => m.position), [0, 1])
      assert.equal((await info(first)).primary, b, 'the first remaining photo becomes primary')
      assert.equal((await info(first)).photos, 2)
      assert.deepEqual(await call(write, { method: 'flickr.photosets.getInfo', photoset_id: lonely }), { stat: 'fail', code: 1, message: 'Photoset not found' })
      await call(remover, { method: 'flickr.photos.delete', photo_id: d! })
      assert.deepEqual([await members(second), (await info(second)).primary], [[b], b], 'a non-primary member leaves; the primary stays')
      await call(remover, { method: 'flickr.photos.delete', photo_id: b! })
      assert.deepEqual(await call(write, { method: 'flickr.photosets.getInfo', photoset_id: second }), { stat: 'fail', code: 1, message: 'Photoset not found' })
      assert.deepEqual([await members(first), (await info(first)).primary], [[c], c])
      const contexts = await call(write, { method: 'flickr.photos.getAllContexts', photo_id: c! })
      assert.deepEqual(contexts.set.map((s: Json) => s.id), [first])
    })

    it('replace keeps the photo’s sets and its place; the set’s primary secret follows the replace', async () => {
      const [a, b, c] = await photos(3, 'Kept')
      const id = await setWith('Replaced', [a!, b!, c!])
      const before = await info(id)
      const response = await photoCall({
        url: `${server.url}/services/replace/`,
        fields: { photo_id: a! },
        file: { data: await makeJpeg({ width: 40, height: 30, seed: 8 }) },
        consumer: uploader.consumer,
        token: uploader.token,
        dispatcher: server.dispatcher,
      })
      const replaced = parsePhotoResponse(response.body)
      assert.equal(replaced.id, a, response.body)
      assert.deepEqual(await members(id), [a, b, c])
      const after = await info(id)
      assert.equal(after.primary, a)
      assert.equal(after.secret, replaced.secret)
      assert.notEqual(after.secret, before.secret)
      const listed = (await call(write, { method: 'flickr.photosets.getList' })).photosets.photoset.find((s: Json) => s.id === id)
      assert.equal(listed.secret, replaced.secret)
      const got = (await call(write, { method: 'flickr.photosets.getPhotos', photoset_id: id, extras: 'url_sq' })).photoset.photo[0]
      assert.deepEqual([got.id, got.secret, got.isprimary], [a, replaced.secret, '1'])
      assert.ok(got.url_sq.includes(`${a}_${replaced.secret}_s.jpg`))
    })

    it('concurrent addPhoto and removePhoto on one set: no photo twice, positions stay 0..n-1', async () => {
      const ids = await photos(24, 'Racing')
      const id = await setWith('Race', [ids[0]!])
      const adds = ids.slice(1).map((photo) => call(write, { method: 'flickr.photosets.addPhoto', photoset_id: id, photo_id: photo }))
      const duplicates = ids.slice(1, 7).map((photo) => call(write, { method: 'flickr.photosets.addPhoto', photoset_id: id, photo_id: photo }))
      const results = await Promise.all([...adds, ...duplicates])
      const codes = results.map((r: Json) => (r.stat === 'ok' ? 0 : r.code))
      assert.deepEqual(codes.filter((c) => c !== 0 && c !== 3), [], `only success or "already in set": ${JSON.stringify(results.filter((r: Json) => r.stat !== 'ok'))}`)
      assert.equal(codes.filter((c) => c === 3).length, 6, 'each duplicate answered 3 exactly once')
      let stored = await storedMembers(server.running.services, id)
      assert.deepEqual(stored.map((m) => m.position), ids.map((_, i) => i))
      assert.deepEqual(new Set(stored.map((m) => m.photoId)), new Set(ids))

      // Removals racing additions of fresh photos and each other.
      const fresh = await photos(6, 'Late')
      const removed = ids.filter((_, i) => i % 3 === 1)
      const mixed = await Promise.all([
        ...removed.map((photo) => call(write, { method: 'flickr.photosets.removePhoto', photoset_id: id, photo_id: photo })),
        ...removed.slice(0, 3).map((photo) => call(write, { method: 'flickr.photosets.removePhoto', photoset_id: id, photo_id: photo })),
        ...fresh.map((photo) => call(write, { method: 'flickr.photosets.addPhoto', photoset_id: id, photo_id: photo })),
      ])
      assert.equal(mixed.filter((r: Json) => r.stat !== 'ok' && r.code !== 3).length, 0, JSON.stringify(mixed.filter((r: Json) => r.stat !== 'ok')))
      assert.equal(mixed.filter((r: Json) => r.code === 3).length, 3, 'a second removal of one photo answers 3')
      stored = await storedMembers(server.running.services, id)
      const expected = new Set([...ids.filter((photo) => !removed.includes(photo)), ...fresh])
      assert.deepEqual(stored.map((m) => m.position), [...expected].map((_, i) => i), 'dense positions')
      assert.deepEqual(new Set(stored.map((m) => m.photoId)), expected)
      const listed = (await call(write, { method: 'flickr.photosets.getPhotos', photoset_id: id })).photoset
      assert.equal(listed.total, expected.size)
    })
  })
}
