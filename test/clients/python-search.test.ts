import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { insertPhotos } from '../helpers/album-fixtures.js'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg, writeTemp } from '../helpers/images.js'
import { driverOk, pythonClientMissing, runDriverOps, type DriverResult } from '../helpers/python-client.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// Debian's python3-flickrapi 2.1.2, unmodified: walk(tags, user_id='me'), walk_user(extras=url_o,
// date_taken) and walk_user_updates over several pages of 120 photos, then the uploaders' checksum-tag
// dedupe (upload with checksum:md5=…, find it with photos.search(machine_tags=…), replace, addTags the
// new checksum, removeTag the old one by getInfo's id).

const DRIVER = fileURLToPath(new URL('./drivers/flickrapi_search.py', import.meta.url))
const missing = pythonClientMissing()

type Result = DriverResult
type Photo = Record<string, string>

for (const backend of testBackends()) {
  describe(`python3-flickrapi search and tags (${backend.name})`, { skip: missing }, () => {
    let server: TestServer
    let app: TestApp
    let alice: TestUser
    const tokens: Record<string, [string, string]> = {}
    let ids: string[]

    function flickrapi(ops: Record<string, unknown>[], as = 'alice'): Promise<Result[]> {
      return runDriverOps({ driver: DRIVER, server, app, token: tokens[as]!, ops })
    }
    const ok = driverOk

    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUser('alice', { pro: true })
      const bob = await server.createUser('bob', { pro: true })
      app = await server.createApp('alice', 'flickrapi search')
      for (const [name, user] of Object.entries({ alice, bob })) {
        const issued = await server.createToken(user, app, 'write')
        tokens[name] = [issued.token, issued.secret]
      }
      const services = server.running.services
      ids = await insertPhotos(services, alice.nsid, Array.from({ length: 120 }, (_, i) => ({ title: `Photo ${i}`, isPublic: i !== 0 })))
      const account = (await services.accounts.byNsid(alice.nsid))!
      for (const [i, id] of ids.entries()) if (i % 2 === 0) await services.photoService.setTags(account, id, 'even')
      // Distinct upload times (insertPhotos' photos share a second), oldest first.
      for (const [i, id] of ids.entries()) await services.database.db.updateTable('photos').set({ datePosted: 1_600_000_000 + i, lastUpdate: 1_700_000_000 + i }).where('id', '=', id).execute()
    })
    after(() => server.close())

    it('walk(tags, user_id=me) pages through 60 tagged photos, private one included; bob’s walk skips it', async () => {
      const [mine] = await flickrapi([{ op: 'walk', tags: 'even', user_id: 'me', per_page: 25 }])
      const even = ids.filter((_, i) => i % 2 === 0).reverse()
      assert.deepEqual((ok(mine).photos as Photo[]).map((p) => p.id), even)
      const [bobs] = await flickrapi([{ op: 'walk', tags: 'even', user_id: alice.nsid, per_page: 25 }], 'bob')
      assert.deepEqual((ok(bobs).photos as Photo[]).map((p) => p.id), even.slice(0, -1))
    })

    it('walk_user with extras=url_o,date_taken over 3 pages; walk_user_updates by last update', async () => {
      const [walked, updates] = await flickrapi([
        { op: 'walk_user', per_page: 50, extras: 'url_o,date_taken' },
        { op: 'walk_user_updates', min_date: String(1_700_000_100), per_page: 7 },
      ])
      const photos = ok(walked).photos as Photo[]
      assert.deepEqual(photos.map((p) => p.id), [...ids].reverse())
      assert.ok(photos.every((p) => /_o\.jpg$/.test(p.url_o ?? '') && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(p.datetaken ?? '')), JSON.stringify(photos[0]))
      assert.deepEqual((ok(updates).photos as Photo[]).map((p) => p.id), ids.slice(100).reverse())
    })

    it('checksum dedupe: upload with checksum:md5, find by machine_tags, replace, addTags, removeTag the old one', async () => {
      const first = await makeJpeg({ width: 64, height: 48, seed: 41 })
      const second = await makeJpeg({ width: 64, height: 48, seed: 42 })
      const [oldSum, newSum] = [first, second].map((data) => createHash('md5').update(data).digest('hex'))
      const file1 = writeTemp(first, 'dedupe-1.jpg')
      const file2 = writeTemp(second, 'dedupe-2.jpg')
      const results = await flickrapi([
        { op: 'upload', file: file1, title: 'Dedupe', tags: `holiday checksum:md5=${oldSum} album:"Summer trip"` },
        { op: 'search', user_id: 'me', machine_tags: `checksum:md5=${oldSum}`, extras: 'tags' },
        { op: 'replace', file: file2, photo_id: '$0.photoid' },
        { op: 'addTags', photo_id: '$0.photoid', tags: `checksum:md5=${newSum}` },
        { op: 'tagIds', photo_id: '$0.photoid' },
      ])
      const [uploaded, found, replaced, added, tagged] = results
      const photoId = String(ok(uploaded).photoid)
      assert.deepEqual([ok(found).ids, found!.total, found!.pages], [[photoId], '1', '1'])
      ok(replaced)
      ok(added)
      const tags = ok(tagged).tags as { id: string; raw: string; clean: string }[]
      assert.deepEqual(tags.map((t) => t.raw), ['holiday', `checksum:md5=${oldSum}`, 'album:Summer trip', `checksum:md5=${newSum}`])
      const old = tags.find((t) => t.raw === `checksum:md5=${oldSum}`)!
      const after = await flickrapi([
        { op: 'removeTag', tag_id: old.id },
        { op: 'search', user_id: 'me', machine_tags: `checksum:md5=${oldSum}` },
        { op: 'search', user_id: 'me', machine_tags: `checksum:md5=${newSum}` },
        { op: 'search', user_id: 'me', machine_tags: 'album:name=' },
        { op: 'removeTag', tag_id: old.id },
      ])
      ok(after[0])
      assert.deepEqual([ok(after[1]).ids, ok(after[2]).ids], [[], [photoId]])
      assert.deepEqual([after[3]!.ok, ok(after[3]).ids], [true, []])
      assert.deepEqual([after[4]!.ok, after[4]!.code, after[4]!.error], [false, 1, 'Error: 1: Tag not found'])
    })
  })
}
