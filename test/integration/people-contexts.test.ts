import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { insertPhotos, restCaller, type Json, type Token } from '../helpers/album-fixtures.js'
import { testBackends } from '../helpers/backends.js'
import { startTestServer, type TestServer, type TestUser } from '../helpers/start-server.js'

// people.*, urls.*, the photostream context, getNotInSet and getUploadStatus's new attributes, over
// real HTTPS, with a caller who may not see a private photo.

const fail = (code: number, message: string) => ({ stat: 'fail', code, message })

for (const backend of testBackends()) {
  describe(`people, urls and contexts (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let bob: TestUser
    let aliceRead: Token
    let bobRead: Token
    let call: ReturnType<typeof restCaller>
    let stream: string[]
    let offset = 0

    before(async () => {
      // A clock that moves one second per photo gives the photostream a strict order.
      server = await startTestServer({ backend, clock: () => Math.floor(Date.now() / 1000) + offset, config: { plans: { free: { maxPhotos: 50, maxFileBytes: 1 << 20, monthlyBytes: null, maxNonPublic: null }, pro: { maxPhotos: null, maxFileBytes: 200 << 20, monthlyBytes: null, maxNonPublic: null } } } })
      const uploader = await server.createUploader('alice')
      alice = uploader.user
      bob = await server.createUser('bob', { pro: false, fullname: 'Bob B.' })
      aliceRead = await server.createToken(alice, uploader.app, 'read')
      bobRead = await server.createToken(bob, uploader.app, 'read')
      call = restCaller(server, uploader.app)
      stream = []
      for (const [i, isPublic] of [true, false, true, true].entries()) {
        offset++
        stream.push(...(await insertPhotos(server.running.services, alice.nsid, [{ title: `Stream ${i}`, isPublic }])))
      }
    })
    after(() => server.close())

    it('photos.getContext: prev is older, next newer; a private neighbour is skipped for others; ends are id 0', async () => {
      const [oldest, hidden, middle, newest] = stream as [string, string, string, string]
      const own = await call(aliceRead, { method: 'flickr.photos.getContext', photo_id: middle })
      assert.deepEqual([own.count, own.prevphoto.id, own.nextphoto.id], [{ _content: '4' }, hidden, newest])
      assert.equal(own.nextphoto.url, `/photos/${alice.nsid}/${newest}/in/photostream/`)
      assert.deepEqual([own.prevphoto.farm, own.prevphoto.license, own.prevphoto.media, own.prevphoto.is_faved], [66, '0', 'photo', 0])
      const forBob = await call(bobRead, { method: 'flickr.photos.getContext', photo_id: middle })
      assert.deepEqual([forBob.count._content, forBob.prevphoto.id, forBob.nextphoto.id], ['3', oldest, newest])
      const end = await call(null, { method: 'flickr.photos.getContext', photo_id: newest })
      assert.deepEqual(end.nextphoto, { id: '0' })
      assert.deepEqual(await call(bobRead, { method: 'flickr.photos.getContext', photo_id: hidden }), fail(1, 'Photo not found'))
      const xml: string = await call(null, { method: 'flickr.photos.getContext', photo_id: oldest }, 'rest')
      assert.match(xml, new RegExp(`<rsp stat="ok">\\n<count>3</count>\\n<prevphoto id="0" />\\n<nextphoto id="${middle}" owner="${alice.nsid}" secret="[0-9a-f]{10}" server="65535" farm="66" title="Stream 2" url="/photos/${alice.nsid}/${middle}/in/photostream/" thumb="${server.url}/65535/${middle}_[0-9a-f]{10}_s.jpg" license="0" media="photo" is_faved="0" />\\n</rsp>`))
    })

    it('photos.getNotInSet: the caller’s photos in no set, newest first, with filters; getAllContexts empty for them', async () => {
      const [oldest, hidden, middle, newest] = stream as [string, string, string, string]
      const before = (await call(aliceRead, { method: 'flickr.photos.getNotInSet', extras: 'date_upload' })).photos
      assert.deepEqual([before.page, before.pages, before.perpage, before.total], [1, 1, 100, 4])
      assert.deepEqual(before.photo.map((p: Json) => p.id), [newest, middle, hidden, oldest])
      assert.equal(before.photo[0].owner, alice.nsid)
      await server.running.services.albums.create((await server.running.services.accounts.byNsid(alice.nsid))!, { title: 'S', primaryPhotoId: middle })
      const after = (await call(aliceRead, { method: 'flickr.photos.getNotInSet', privacy_filter: '1' })).photos
      assert.deepEqual(after.photo.map((p: Json) => p.id), [newest, oldest])
      const since = (await call(aliceRead, { method: 'flickr.photos.getNotInSet', min_upload_date: String(before.photo[0].dateupload) })).photos
      assert.ok(since.photo.every((p: Json) => p.id !== middle))
      assert.deepEqual(await call(aliceRead, { method: 'flickr.photos.getAllContexts', photo_id: oldest }), { stat: 'ok' })
      assert.equal((await call(null, { method: 'flickr.photos.getNotInSet' })).code, 99)
    })

    it('people.getInfo: counts what the caller may see; upload figures only for oneself; 1 for nobody', async () => {
      const mine = (await call(aliceRead, { method: 'flickr.people.getInfo', user_id: alice.nsid })).person
      assert.deepEqual(
        [mine.id, mine.nsid, mine.ispro, mine.is_deleted, mine.iconserver, mine.iconfarm, mine.path_alias, mine.upload_count, mine.upload_limit, mine.upload_limit_status],
        [alice.nsid, alice.nsid, 1, 0, '0', 0, '', 4, 2147483647, 'below_limit'],
      )
      assert.deepEqual(mine.username, { _content: 'alice' })
      assert.equal(mine.realname, undefined, 'no realname when none is set')
      assert.deepEqual(mine.photosurl, { _content: `${server.url}/photos/${alice.nsid}/` })
      assert.deepEqual(mine.profileurl, { _content: `${server.url}/people/${alice.nsid}/` })
      assert.deepEqual([mine.photos.count, mine.photos.views], [{ _content: '4' }, { _content: '0' }])
      assert.match(mine.photos.firstdate._content, /^\d+$/)
      assert.match(mine.photos.firstdatetaken._content, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
      const seen = (await call(bobRead, { method: 'flickr.people.getInfo', user_id: alice.nsid })).person
      assert.deepEqual([seen.photos.count._content, seen.upload_count, seen.photos.views], ['3', undefined, undefined])
      const bobInfo = (await call(null, { method: 'flickr.people.getInfo', user_id: bob.nsid })).person
      assert.deepEqual([bobInfo.ispro, bobInfo.realname, bobInfo.photos.count._content, bobInfo.photos.firstdate._content], [0, { _content: 'Bob B.' }, '0', ''])
      assert.deepEqual(await call(null, { method: 'flickr.people.getInfo', user_id: '1@N99' }), fail(1, 'User not found'))
      assert.deepEqual(await call(null, { method: 'flickr.people.getInfo' }), fail(1, 'User not found'))
    })

    it('people.getLimits, getPublicPhotos, findByUsername; getUploadStatus upload_limit/upload_count, sets and videosize', async () => {
      const limits = await call(bobRead, { method: 'flickr.people.getLimits' })
      assert.deepEqual(limits, { person: { nsid: bob.nsid, photos: { maxdisplaypx: '0', maxupload: String(1 << 20) }, videos: { maxduration: '0', maxupload: String(1 << 20) } }, stat: 'ok' })
      const limitsXml: string = await call(aliceRead, { method: 'flickr.people.getLimits' }, 'rest')
      assert.match(limitsXml, new RegExp(`<person nsid="${alice.nsid}">\\n\\t<photos maxdisplaypx="0" maxupload="209715200" />\\n\\t<videos maxduration="0" maxupload="209715200" />\\n</person>`))
      assert.equal((await call(null, { method: 'flickr.people.getLimits' })).code, 99)

      const publicPhotos = (await call(aliceRead, { method: 'flickr.people.getPublicPhotos', user_id: alice.nsid, per_page: '2', extras: 'owner_name,tags' })).photos
      assert.deepEqual([publicPhotos.page, publicPhotos.pages, publicPhotos.perpage, publicPhotos.total], [1, 2, 2, 3], 'public only, even for the owner')
      assert.deepEqual([publicPhotos.photo[0].ownername, publicPhotos.photo[0].tags], ['alice', ''])
      const none = (await call(null, { method: 'flickr.people.getPublicPhotos', user_id: bob.nsid })).photos
      assert.deepEqual([none.total, none.pages, none.photo], [0, 0, []])
      assert.deepEqual(await call(null, { method: 'flickr.people.getPublicPhotos', user_id: 'x@N01' }), fail(1, 'User not found'))

      assert.deepEqual(await call(null, { method: 'flickr.people.findByUsername', username: 'bob' }), { user: { id: bob.nsid, nsid: bob.nsid, username: { _content: 'bob' } }, stat: 'ok' })
      assert.deepEqual(await call(null, { method: 'flickr.people.findByUsername', username: 'nobody' }), fail(1, 'User not found'))

      const status = (await call(bobRead, { method: 'flickr.people.getUploadStatus' })).user
      assert.deepEqual([status.ispro, status.upload_count, status.upload_limit, status.upload_limit_status], [0, 0, 50, 'below_limit'])
      assert.deepEqual(status.videosize, { maxbytes: 1 << 20, maxkb: 1024, maxmb: 1 })
      assert.deepEqual(status.sets, { created: 0, remaining: 'lots' })
      const xml: string = await call(aliceRead, { method: 'flickr.people.getUploadStatus' }, 'rest')
      assert.match(xml, new RegExp(`<user id="${alice.nsid}" ispro="1" upload_count="4" upload_limit="2147483647" upload_limit_status="below_limit">`))
      assert.match(xml, /\t<sets created="1" remaining="lots" \/>\n\t<videosize maxbytes="209715200" maxkb="204800" maxmb="200" \/>\n\t<videos /)
    })

    it('urls.lookupUser, getUserPhotos, getUserProfile', async () => {
      for (const url of [`https://www.flickr.com/photos/${alice.nsid}/`, `${server.url}/people/alice`, `/photos/alice/123/`, `photos/${encodeURIComponent(alice.nsid)}`]) {
        assert.deepEqual(await call(null, { method: 'flickr.urls.lookupUser', url }), { user: { id: alice.nsid, username: { _content: 'alice' } }, stat: 'ok' }, url)
      }
      assert.deepEqual(await call(null, { method: 'flickr.urls.lookupUser', url: 'https://example.com/photos/nobody/' }), fail(1, 'User not found'))
      assert.deepEqual(await call(null, { method: 'flickr.urls.lookupUser', url: 'https://example.com/' }), fail(1, 'User not found'))
      assert.deepEqual(await call(bobRead, { method: 'flickr.urls.getUserPhotos' }), { user: { nsid: bob.nsid, url: `${server.url}/photos/${bob.nsid}/` }, stat: 'ok' })
      assert.deepEqual(await call(null, { method: 'flickr.urls.getUserProfile', user_id: alice.nsid }), { user: { nsid: alice.nsid, url: `${server.url}/people/${alice.nsid}/` }, stat: 'ok' })
      assert.deepEqual(await call(null, { method: 'flickr.urls.getUserPhotos' }), fail(2, 'No user specified'))
      assert.deepEqual(await call(null, { method: 'flickr.urls.getUserProfile', user_id: '1@N99' }), fail(1, 'User not found'))
    })
  })
}
