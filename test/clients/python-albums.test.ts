import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Account } from '../../src/db/account-repository.js'
import { insertPhotos } from '../helpers/album-fixtures.js'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg, writeTemp } from '../helpers/images.js'
import { driverOk, pythonClientMissing, runDriverOps, type DriverResult } from '../helpers/python-client.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// Debian's python3-flickrapi 2.1.2, unmodified: walk_photosets and walk_set page through a user with
// 3 sets and 250 photos, then photosets.create and addPhoto of fresh uploads, checked through getPhotos.
// The 250 photos are made through the real PhotoService in setup; every client call is real.

const DRIVER = fileURLToPath(new URL('./drivers/flickrapi_albums.py', import.meta.url))
const missing = pythonClientMissing()

type Result = DriverResult
type Op = Record<string, unknown> & { op: string }

for (const backend of testBackends()) {
  describe(`python3-flickrapi albums (${backend.name})`, { skip: missing }, () => {
    let server: TestServer
    let app: TestApp
    let alice: TestUser
    let account: Account
    const tokens: Record<string, [string, string]> = {}
    let ids: string[]
    const sets: Record<'all' | 'half' | 'hidden', string> = { all: '', half: '', hidden: '' }

    function flickrapi(ops: Op[], options: { as?: string; shim?: boolean } = {}): Promise<Result[]> {
      return runDriverOps({ driver: DRIVER, server, app, token: tokens[options.as ?? 'alice']!, ops, getchildren: options.shim !== false })
    }
    const ok = driverOk

    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUser('alice', { pro: true })
      const bob = await server.createUser('bob', { pro: true })
      app = await server.createApp('alice', 'flickrapi albums')
      for (const [name, user] of Object.entries({ alice, bob })) {
        const issued = await server.createToken(user, app, 'write')
        tokens[name] = [issued.token, issued.secret]
      }
      const services = server.running.services
      ids = await insertPhotos(services, alice.nsid, Array.from({ length: 250 }, (_, i) => ({ title: `Photo ${i}`, isPublic: i !== 249 })))
      account = (await services.accounts.byNsid(alice.nsid))!
      const albums = services.albums
      sets.all = (await albums.create(account, { title: 'Everything', primaryPhotoId: ids[10]! })).id
      await albums.editPhotos(account, sets.all, ids[10]!, [...ids].reverse())
      sets.half = (await albums.create(account, { title: 'Half', primaryPhotoId: ids[0]! })).id
      await albums.editPhotos(account, sets.half, ids[0]!, ids.filter((_, i) => i % 2 === 0))
      sets.hidden = (await albums.create(account, { title: 'Hidden', primaryPhotoId: ids[249]! })).id
    })
    after(() => server.close())

    it('walk_photosets pages through the 3 sets in the user’s order; another user does not see the one with a private primary', async () => {
      const [mine] = await flickrapi([{ op: 'walk_photosets', per_page: 2 }])
      assert.deepEqual(ok(mine).sets, [
        { id: sets.hidden, title: 'Hidden', photos: '1' },
        { id: sets.half, title: 'Half', photos: '125' },
        { id: sets.all, title: 'Everything', photos: '250' },
      ])
      const [bobs] = await flickrapi([{ op: 'walk_photosets', per_page: 1, user_id: alice.nsid }], { as: 'bob' })
      assert.deepEqual((ok(bobs).sets as { id: string; photos: string }[]).map((s) => [s.id, s.photos]), [[sets.half, '125'], [sets.all, '249']])
    })

    it('walk_set pages through 250 photos in the set’s order (and bob’s walk skips the private one)', async () => {
      const [all, half, seenByBob] = await flickrapi([
        { op: 'walk_set', photoset_id: sets.all, per_page: 100, extras: 'url_m' },
        { op: 'walk_set', photoset_id: sets.half, per_page: 50 },
      ]).then(async (mine) => [...mine, ...(await flickrapi([{ op: 'walk_set', photoset_id: sets.all, per_page: 100 }], { as: 'bob' }))])
      const photos = ok(all).photos as { id: string; isprimary: string; url_m: string }[]
      assert.deepEqual(photos.map((p) => p.id), [...ids].reverse())
      assert.deepEqual(photos.filter((p) => p.isprimary === '1').map((p) => p.id), [ids[10]])
      assert.ok(photos.every((p) => p.url_m.startsWith(`${server.url}/65535/${p.id}_`)))
      assert.deepEqual((ok(half).photos as { id: string }[]).map((p) => p.id), ids.filter((_, i) => i % 2 === 0))
      assert.deepEqual((ok(seenByBob).photos as { id: string }[]).map((p) => p.id), [...ids].reverse().slice(1))
    })

    it('the same walk without lxml on Python ≥ 3.9 fails inside flickrapi itself (Element.getchildren), not on the server', async () => {
      const [bare] = await flickrapi([{ op: 'walk_photosets', per_page: 2 }], { shim: false })
      assert.deepEqual([bare!.ok, bare!.type], [false, 'AttributeError'])
      assert.match(String(bare!.error), /getchildren/)
    })

    it('photosets.create and addPhoto of fresh uploads, checked through getPhotos; codes 1, 2, 3 as FlickrError', async () => {
      const first = writeTemp(await makeJpeg({ width: 64, height: 48, seed: 31 }), 'album-first.jpg')
      const second = writeTemp(await makeJpeg({ width: 64, height: 48, seed: 32 }), 'album-second.jpg')
      const results = await flickrapi([
        { op: 'upload', file: first, title: 'Fresh one' },
        { op: 'upload', file: second, title: 'Fresh two' },
        { op: 'create', title: 'Fresh set', description: 'From flickrapi', primary_photo_id: '$0.photoid' },
        { op: 'addPhoto', photoset_id: '$2.id', photo_id: '$1.photoid' },
        { op: 'addPhoto', photoset_id: '$2.id', photo_id: '$1.photoid' },
        { op: 'addPhoto', photoset_id: '72157000000000000', photo_id: '$1.photoid' },
        { op: 'addPhoto', photoset_id: '$2.id', photo_id: '99999999999' },
        { op: 'getPhotos', photoset_id: '$2.id' },
      ])
      const [one, two, created, added, again, noSet, noPhoto, listed] = results
      const setId = String(ok(created).id)
      assert.equal(created!.url, `${server.url}/photos/${alice.nsid}/albums/${setId}/`)
      ok(added)
      assert.deepEqual([again, noSet, noPhoto].map((r) => [r!.ok, r!.code, r!.error]), [
        [false, 3, 'Error: 3: Photo already in set'],
        [false, 1, 'Error: 1: Photoset not found'],
        [false, 2, 'Error: 2: Photo not found'],
      ])
      assert.deepEqual(ok(listed), { ok: true, ids: [ok(one).photoid, ok(two).photoid], total: '2', pages: '1', primary: one!.photoid })
      const [walked] = await flickrapi([{ op: 'walk_photosets', per_page: 500 }])
      assert.equal((ok(walked).sets as { id: string }[])[0]!.id, setId, 'the new set comes first')
    })
  })
}
