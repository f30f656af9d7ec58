import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { insertPhotos, restCaller, storedMembers, type Json, type Token } from '../helpers/album-fixtures.js'
import { testBackends } from '../helpers/backends.js'
import { startTestServer, type TestServer, type TestUser } from '../helpers/start-server.js'

// photosets.* over real HTTPS, JSON and XML: shapes and types as Flickr's, every method-specific code,
// and visibility (a set is seen by whoever sees its primary; lists show only photos the caller may see).

const fail = (code: number, message: string) => ({ stat: 'fail', code, message })

for (const backend of testBackends()) {
  describe(`photosets methods (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let bob: TestUser
    let aliceWrite: Token
    let aliceRead: Token
    let bobWrite: Token
    let call: ReturnType<typeof restCaller>
    let pub: string[]
    let priv: string[]
    let bobPhoto: string

    before(async () => {
      server = await startTestServer({ backend })
      const uploader = await server.createUploader('alice')
      alice = uploader.user
      bob = await server.createUser('bob')
      aliceWrite = { token: uploader.token.key, secret: uploader.token.secret }
      aliceRead = await server.createToken(alice, uploader.app, 'read')
      bobWrite = await server.createToken(bob, uploader.app, 'write')
      call = restCaller(server, uploader.app)
      const services = server.running.services
      pub = await insertPhotos(services, alice.nsid, Array.from({ length: 6 }, (_, i) => ({ title: `Public ${i}` })))
      priv = await insertPhotos(services, alice.nsid, [{ title: 'Private 0', isPublic: false }, { title: 'Private 1', isPublic: false }])
      bobPhoto = (await insertPhotos(services, bob.nsid, [{ title: 'Bob’s' }]))[0]!
    })
    after(() => server.close())

    async function create(title: string, primary: string, extra: Record<string, string> = {}): Promise<string> {
      const created = await call(aliceWrite, { method: 'flickr.photosets.create', title, primary_photo_id: primary, ...extra })
      assert.equal(created.stat, 'ok', JSON.stringify(created))
      return created.photoset.id
    }

    it('create answers id and url; getList lists the new set first with Flickr’s JSON types; getInfo agrees', async () => {
      const created = await call(aliceWrite, { method: 'flickr.photosets.create', title: 'Trip <1>', description: 'Sea & sand', primary_photo_id: pub[0]! })
      const id = created.photoset.id
      assert.match(id, /^72157\d{12}$/)
      assert.deepEqual(created, { photoset: { id, url: `${server.url}/photos/${alice.nsid}/albums/${id}/` }, stat: 'ok' })
      const second = await create('Later', pub[1]!)
      const { photosets } = await call(aliceRead, { method: 'flickr.photosets.getList' })
      assert.deepEqual([photosets.page, photosets.pages, photosets.perpage, photosets.total, photosets.cancreate], [1, 1, 500, 2, 1])
      assert.deepEqual(photosets.photoset.map((s: Json) => s.id), [second, id], 'a new set goes first')
      const set = photosets.photoset[1]
      const primary = (await server.running.services.photos.byId(pub[0]!))!
      assert.deepEqual(set, {
        id, owner: alice.nsid, username: 'alice', primary: pub[0], secret: primary.secret, server: '65535', farm: 66,
        count_views: '0', count_comments: '0', count_photos: 1, count_videos: 0, can_comment: 0,
        date_create: set.date_create, date_update: set.date_update, photos: 1, videos: 0, visibility_can_see_set: 1, needs_interstitial: 0,
        title: { _content: 'Trip <1>' }, description: { _content: 'Sea & sand' },
      })
      assert.match(set.date_create, /^\d+$/)
      const info = await call(null, { method: 'flickr.photosets.getInfo', photoset_id: id })
      assert.deepEqual(info.photoset, set, 'getInfo shows the same <photoset>')
      const paged = (await call(aliceRead, { method: 'flickr.photosets.getList', user_id: alice.nsid, per_page: '1', page: '2' })).photosets
      assert.deepEqual([paged.page, paged.pages, paged.perpage, paged.total, paged.photoset.map((s: Json) => s.id)], [2, 2, 1, 2, [id]])
      const xml: string = await call(aliceRead, { method: 'flickr.photosets.getList', primary_photo_extras: 'last_update, owner_name' }, 'rest')
      assert.match(xml, /<photosets cancreate="1" page="1" pages="1" perpage="500" total="2">\n\t<photoset id="\d+" owner="[^"]+" username="alice" primary="\d+" secret="[0-9a-f]{10}" server="65535" farm="66" count_views="0" count_comments="0" count_photos="1" count_videos="0" can_comment="0" date_create="\d+" date_update="\d+" photos="1" videos="0" visibility_can_see_set="1" needs_interstitial="0">\n\t\t<title>Later<\/title>\n\t\t<description><\/description>\n\t\t<primary_photo_extras lastupdate="\d+" ownername="alice" \/>\n\t<\/photoset>/)
      assert.deepEqual(await call(null, { method: 'flickr.photosets.getList', user_id: '1@N99' }), fail(1, 'User not found'))
      assert.deepEqual(await call(null, { method: 'flickr.photosets.getList' }), fail(1, 'User not found'), 'no user_id and no caller')
    })

    it('addPhoto codes as Flickr’s: 1 set not found, 2 photo not found, 3 already in set; create 1 and 2; 99 for read tokens', async () => {
      const id = await create('Codes', pub[0]!)
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.addPhoto', photoset_id: id, photo_id: pub[1]! }), { stat: 'ok' })
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.addPhoto', photoset_id: id, photo_id: pub[1]! }), fail(3, 'Photo already in set'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.addPhoto', photoset_id: '72157000000000000', photo_id: pub[2]! }), fail(1, 'Photoset not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.addPhoto', photoset_id: id, photo_id: '99999999999' }), fail(2, 'Photo not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.addPhoto', photoset_id: id, photo_id: bobPhoto! }), fail(2, 'Photo not found'))
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photosets.addPhoto', photoset_id: id, photo_id: bobPhoto! }), fail(1, 'Photoset not found'))
      assert.equal((await call(aliceRead, { method: 'flickr.photosets.addPhoto', photoset_id: id, photo_id: pub[2]! })).code, 99)
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.create', title: '  ', primary_photo_id: pub[0]! }), fail(1, 'No title specified'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.create', primary_photo_id: pub[0]! }), fail(1, 'No title specified'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.create', title: 'x', primary_photo_id: bobPhoto! }), fail(2, 'Photo not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.removePhoto', photoset_id: id, photo_id: pub[3]! }), fail(3, 'Photo not in set'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.removePhoto', photoset_id: id, photo_id: bobPhoto! }), fail(2, 'Photo not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.removePhoto', photoset_id: id, photo_id: pub[1]! }), { stat: 'ok' })
      assert.deepEqual((await storedMembers(server.running.services, id)).map((m) => m.photoId), [pub[0]])
    })

    it('getPhotos: set order, paging as numbers, isprimary, extras; JSON and XML', async () => {
      const id = await create('Ordered', pub[2]!)
      for (const photo of [pub[4]!, pub[3]!, pub[5]!]) await call(aliceWrite, { method: 'flickr.photosets.addPhoto', photoset_id: id, photo_id: photo })
      const page1 = (await call(aliceRead, { method: 'flickr.photosets.getPhotos', photoset_id: id, per_page: '3', extras: 'url_o,url_m,date_upload,description,owner_name,original_format' })).photoset
      assert.deepEqual([page1.id, page1.primary, page1.owner, page1.ownername, page1.title], [id, pub[2], alice.nsid, 'alice', 'Ordered'])
      assert.deepEqual([page1.page, page1.per_page, page1.perpage, page1.pages, page1.total], [1, 3, 3, 2, 4])
      assert.deepEqual(page1.photo.map((p: Json) => [p.id, p.isprimary]), [[pub[2], '1'], [pub[4], '0'], [pub[3], '0']])
      const first = page1.photo[0]
      assert.equal(first.owner, undefined, 'no owner attribute on getPhotos’ photos')
      assert.deepEqual([first.ispublic, first.isfriend, first.isfamily, first.farm, first.ownername, first.originalformat], [1, 0, 0, 66, 'alice', 'jpg'])
      assert.deepEqual(first.description, { _content: '' })
      assert.match(first.dateupload, /^\d+$/)
      assert.match(first.url_m, new RegExp(`^${server.url}/65535/${pub[2]}_${first.secret}\\.jpg$`))
      assert.match(first.url_o, new RegExp(`_${first.originalsecret}_o\\.jpg$`))
      assert.deepEqual([first.width_o, first.height_o, first.width_m, first.height_m], [24, 16, 24, 16])
      const page2 = (await call(aliceRead, { method: 'flickr.photosets.getPhotos', photoset_id: id, per_page: '3', page: '2' })).photoset
      assert.deepEqual(page2.photo.map((p: Json) => p.id), [pub[5]])
      const beyond = (await call(aliceRead, { method: 'flickr.photosets.getPhotos', photoset_id: id, per_page: '3', page: '5' })).photoset
      assert.deepEqual([beyond.page, beyond.pages, beyond.photo], [5, 2, []])
      const videos = (await call(aliceRead, { method: 'flickr.photosets.getPhotos', photoset_id: id, media: 'videos' })).photoset
      assert.deepEqual([videos.total, videos.pages, videos.photo, videos.perpage], [0, 0, [], 500])
      const xml: string = await call(null, { method: 'flickr.photosets.getPhotos', photoset_id: id, per_page: '1' }, 'rest')
      assert.match(xml, new RegExp(`<photoset id="${id}" primary="${pub[2]}" owner="${alice.nsid}" ownername="alice" page="1" per_page="1" perpage="1" pages="4" title="Ordered" total="4">\\n\\t<photo id="${pub[2]}" secret="[0-9a-f]{10}" server="65535" farm="66" title="Public 2" isprimary="1" ispublic="1" isfriend="0" isfamily="0" />\\n</photoset>`))
      assert.deepEqual(await call(null, { method: 'flickr.photosets.getPhotos', photoset_id: id, user_id: bob.nsid }), fail(2, 'User not found'))
      assert.deepEqual(await call(null, { method: 'flickr.photosets.getPhotos', photoset_id: 'nope' }), fail(1, 'Photoset not found'))
    })

    it('visibility: a private primary hides the set; others see only public members and counts; privacy_filter for the owner', async () => {
      const hidden = await create('Hidden', priv[0]!)
      const mixed = await create('Mixed', pub[0]!)
      await call(aliceWrite, { method: 'flickr.photosets.addPhoto', photoset_id: mixed, photo_id: priv[1]! })
      await call(aliceWrite, { method: 'flickr.photosets.addPhoto', photoset_id: mixed, photo_id: pub[1]! })
      for (const who of [bobWrite, null]) {
        const list = (await call(who, { method: 'flickr.photosets.getList', user_id: alice.nsid })).photosets
        assert.ok(!list.photoset.some((s: Json) => s.id === hidden), 'a set with a private primary is not listed')
        assert.equal(list.photoset.find((s: Json) => s.id === mixed).photos, 2)
        assert.equal(list.cancreate, 0)
        assert.deepEqual(await call(who, { method: 'flickr.photosets.getInfo', photoset_id: hidden }), fail(1, 'Photoset not found'))
        assert.deepEqual(await call(who, { method: 'flickr.photosets.getPhotos', photoset_id: hidden }), fail(1, 'Photoset not found'))
        const seen = (await call(who, { method: 'flickr.photosets.getPhotos', photoset_id: mixed, privacy_filter: '5' })).photoset
        assert.deepEqual([seen.total, seen.photo.map((p: Json) => p.id)], [2, [pub[0], pub[1]]], 'private member hidden; privacy_filter ignored for others')
        assert.equal((await call(who, { method: 'flickr.photosets.getInfo', photoset_id: mixed })).photoset.count_photos, 2)
        assert.deepEqual(await call(who, { method: 'flickr.photosets.getContext', photoset_id: mixed, photo_id: priv[1]! }), fail(1, 'Photo not found'))
      }
      const own = (await call(aliceRead, { method: 'flickr.photosets.getPhotos', photoset_id: mixed })).photoset
      assert.deepEqual(own.photo.map((p: Json) => p.id), [pub[0], priv[1], pub[1]])
      const onlyPrivate = (await call(aliceRead, { method: 'flickr.photosets.getPhotos', photoset_id: mixed, privacy_filter: '5' })).photoset
      assert.deepEqual([onlyPrivate.total, onlyPrivate.photo.map((p: Json) => p.id)], [1, [priv[1]]])
      assert.equal((await call(aliceRead, { method: 'flickr.photosets.getInfo', photoset_id: hidden })).photoset.id, hidden)
      // Contexts: the private neighbour is skipped for others.
      const forBob = await call(bobWrite, { method: 'flickr.photosets.getContext', photoset_id: mixed, photo_id: pub[0]! })
      assert.deepEqual([forBob.count, forBob.prevphoto, forBob.nextphoto.id], [{ _content: '2' }, { id: '0' }, pub[1]])
      const forAlice = await call(aliceRead, { method: 'flickr.photosets.getContext', photoset_id: mixed, photo_id: pub[1]! })
      assert.deepEqual([forAlice.count._content, forAlice.prevphoto.id, forAlice.nextphoto.id], ['3', priv[1], '0'])
      assert.equal(forAlice.prevphoto.url, `/photos/${alice.nsid}/${priv[1]}/in/set-${mixed}/`)
      assert.match(forAlice.prevphoto.thumb, new RegExp(`^${server.url}/65535/${priv[1]}_[0-9a-f]{10}_s\\.jpg$`))
      assert.deepEqual(await call(aliceRead, { method: 'flickr.photosets.getContext', photoset_id: mixed, photo_id: pub[5]! }), fail(2, 'Photo not in set'))
      const contexts = await call(bobWrite, { method: 'flickr.photos.getAllContexts', photo_id: pub[0]! })
      assert.ok(contexts.set.some((s: Json) => s.id === mixed && s.count_photo === 2 && s.title === 'Mixed'))
      assert.ok(!(await call(aliceRead, { method: 'flickr.photos.getAllContexts', photo_id: priv[0]! })).set.every((s: Json) => s.id !== hidden))
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.getAllContexts', photo_id: priv[0]! }), fail(1, 'Photo not found'))
    })

    it('editPhotos (2, 3, 4, 5), reorderPhotos, setPrimaryPhoto, removePhotos, editMeta, orderSets, delete', async () => {
      const id = await create('Edits', pub[0]!)
      const edit = (params: Record<string, string>) => call(aliceWrite, { method: 'flickr.photosets.editPhotos', photoset_id: id, ...params })
      assert.deepEqual(await edit({ primary_photo_id: pub[1]!, photo_ids: ',' }), fail(5, 'Empty photos list'))
      assert.deepEqual(await edit({ primary_photo_id: bobPhoto!, photo_ids: pub[1]! }), fail(3, 'Primary photo not found'))
      assert.deepEqual(await edit({ primary_photo_id: pub[1]!, photo_ids: `${pub[1]},${bobPhoto}` }), fail(2, 'Photo not found'))
      assert.deepEqual(await edit({ primary_photo_id: pub[5]!, photo_ids: `${pub[1]},${pub[2]}` }), fail(4, 'Primary photo not in list'))
      assert.deepEqual(await edit({ primary_photo_id: pub[2]!, photo_ids: `${pub[3]}, ${pub[2]},${pub[1]},${pub[4]},` }), { stat: 'ok' })
      const ids = async () => (await storedMembers(server.running.services, id)).map((m) => m.photoId)
      assert.deepEqual(await ids(), [pub[3], pub[2], pub[1], pub[4]])
      assert.equal((await call(aliceRead, { method: 'flickr.photosets.getInfo', photoset_id: id })).photoset.primary, pub[2])
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.reorderPhotos', photoset_id: id, photo_ids: `${pub[4]},${pub[1]}` }), { stat: 'ok' })
      assert.deepEqual(await ids(), [pub[4], pub[1], pub[3], pub[2]])
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.reorderPhotos', photoset_id: id, photo_ids: bobPhoto! }), fail(2, 'Photo not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.setPrimaryPhoto', photoset_id: id, photo_id: pub[5]! }), fail(2, 'Photo not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.setPrimaryPhoto', photoset_id: id, photo_id: pub[4]! }), { stat: 'ok' })
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.removePhotos', photoset_id: id, photo_ids: `${pub[4]},${pub[5]}` }), { stat: 'ok' })
      assert.deepEqual(await ids(), [pub[1], pub[3], pub[2]])
      assert.equal((await call(aliceRead, { method: 'flickr.photosets.getInfo', photoset_id: id })).photoset.primary, pub[1], 'primary removed: the first photo takes over')
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.editMeta', photoset_id: id, title: ' ' }), fail(2, 'No title specified'))
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photosets.editMeta', photoset_id: id, title: 'Mine' }), fail(1, 'Photoset not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.editMeta', photoset_id: id, title: 'Renamed', description: 'New' }), { stat: 'ok' })
      const info = (await call(aliceRead, { method: 'flickr.photosets.getInfo', photoset_id: id })).photoset
      assert.deepEqual([info.title._content, info.description._content], ['Renamed', 'New'])

      const { photoset: all } = (await call(aliceRead, { method: 'flickr.photosets.getList' })).photosets
      const order = all.map((s: Json) => s.id)
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.orderSets', photoset_ids: `${order.at(-1)},${id}` }), { stat: 'ok' })
      const reordered = (await call(aliceRead, { method: 'flickr.photosets.getList' })).photosets.photoset.map((s: Json) => s.id)
      const rest = order.filter((s: string) => s !== id && s !== order.at(-1)).sort()
      assert.deepEqual(reordered, [order.at(-1), id, ...rest], 'listed first, the rest by id')
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.orderSets', photoset_ids: '72157000000000001' }), fail(1, 'Set not found'))
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photosets.delete', photoset_id: id }), fail(1, 'Photoset not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photosets.delete', photoset_id: id }), { stat: 'ok' })
      assert.deepEqual(await call(aliceRead, { method: 'flickr.photosets.getInfo', photoset_id: id }), fail(1, 'Photoset not found'))
      assert.ok(await server.running.services.photos.byId(pub[1]!), 'photos stay when their set goes')
      assert.deepEqual(await storedMembers(server.running.services, id), [])
    })
  })
}
