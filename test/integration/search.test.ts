import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { insertPhotos, restCaller, type Json, type Token } from '../helpers/album-fixtures.js'
import { testBackends } from '../helpers/backends.js'
import { startTestServer, type TestServer, type TestUser } from '../helpers/start-server.js'

// photos.search, getRecent and recentlyUpdated over real HTTPS on both backends: every filter, the
// visibility rule (others' public photos only; private ones for their owner), paging and errors.

const fail = (code: number, message: string) => ({ stat: 'fail', code, message })
const ids = (rsp: Json): string[] => rsp.photos.photo.map((p: Json) => p.id)
const sorted = (list: string[]) => [...list].sort()

for (const backend of testBackends()) {
  describe(`photos.search (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let bob: TestUser
    let aliceWrite: Token
    let bobRead: Token
    let call: ReturnType<typeof restCaller>
    // a: alice public "Red fox" (tags fox red, checksum:md5=aa11), b: alice public "Blue sea" (sea blue, geo),
    // c: alice private "Red sky" (red sky), d: bob public "Fox den" (fox), e: bob private (fox)
    let a: string | undefined, b: string | undefined, c: string | undefined, d: string | undefined, e: string | undefined

    before(async () => {
      server = await startTestServer({ backend })
      const uploader = await server.createUploader('alice')
      alice = uploader.user
      bob = await server.createUser('bob')
      aliceWrite = { token: uploader.token.key, secret: uploader.token.secret }
      bobRead = await server.createToken(bob, uploader.app, 'write')
      call = restCaller(server, uploader.app)
      const services = server.running.services
      ;[a, b, c] = await insertPhotos(services, alice.nsid, [{ title: 'Red fox' }, { title: 'Blue sea' }, { title: 'Red sky', isPublic: false }])
      ;[d, e] = await insertPhotos(services, bob.nsid, [{ title: 'Fox den' }, { title: 'Hidden fox', isPublic: false }])
      const tag = async (token: Token, photo: string, tags: string) => assert.equal((await call(token, { method: 'flickr.photos.setTags', photo_id: photo, tags })).stat, 'ok')
      await tag(aliceWrite, a!, 'fox Red checksum:md5=AA11 "dc:title=Mr. Camera"')
      await tag(aliceWrite, b!, 'sea blue ocean geo:country=norway')
      await tag(aliceWrite, c!, 'red sky')
      await tag(bobRead, d!, 'fox dc:title=other')
      await tag(bobRead, e!, 'fox')
      const db = services.database.db
      const set = (id: string, fields: Record<string, unknown>) => db.updateTable('photos').set(fields).where('id', '=', id).execute()
      await set(a!, { datePosted: 1_600_000_000, dateTaken: '2020-01-05 10:00:00', views: 5, license: 4, lastUpdate: 1_700_000_000, description: 'A quick <b>brown</b> animal' })
      await set(b!, { datePosted: 1_600_000_100, dateTaken: '2019-06-01 12:00:00', views: 50, license: 0, lastUpdate: 1_700_000_500, latitude: 59.9, longitude: 10.75, accuracy: 16, contentType: 2 })
      await set(c!, { datePosted: 1_600_000_200, dateTaken: '2021-03-03 03:03:03', views: 1, lastUpdate: 1_700_000_100 })
      await set(d!, { datePosted: 1_600_000_300, dateTaken: '2018-01-01 00:00:00', safetyLevel: 2 })
    })
    after(() => server.close())

    const search = (token: Token | null, params: Record<string, string>, format: 'json' | 'rest' = 'json') => call(token, { method: 'flickr.photos.search', ...params }, format)

    it('user_id=me finds the caller’s private photos; others see public ones only; JSON paging numbers', async () => {
      const mine = await search(aliceWrite, { user_id: 'me', tags: 'red' })
      assert.deepEqual(sorted(ids(mine)), sorted([a!, c!]))
      assert.deepEqual([mine.photos.page, mine.photos.pages, mine.photos.perpage, mine.photos.total], [1, 1, 100, 2])
      assert.deepEqual(ids(await search(bobRead, { user_id: alice.nsid, tags: 'red' })), [a!], 'bob does not see alice’s private photo')
      assert.deepEqual(ids(await search(null, { user_id: alice.nsid, tags: 'red' })), [a!])
      assert.deepEqual(sorted(ids(await search(aliceWrite, { tags: 'fox' }))), sorted([a!, d!]), 'everybody’s public photos plus the caller’s own')
      assert.deepEqual(sorted(ids(await search(bobRead, { tags: 'fox' }))), sorted([a!, d!, e!]), 'bob’s own private fox')
      const photo = (await search(aliceWrite, { user_id: 'me', tags: 'sky' })).photos.photo[0]
      assert.deepEqual(photo, { id: c, owner: alice.nsid, secret: photo.secret, server: '65535', farm: 66, title: 'Red sky', ispublic: 0, isfriend: 0, isfamily: 0 })
    })

    it('tags any/all and exclusion match the clean form', async () => {
      assert.deepEqual(sorted(ids(await search(aliceWrite, { user_id: 'me', tags: 'sea,SKY' }))), sorted([b!, c!]))
      assert.deepEqual(ids(await search(aliceWrite, { user_id: 'me', tags: 'red,sky', tag_mode: 'all' })), [c!])
      assert.deepEqual(ids(await search(aliceWrite, { user_id: 'me', tags: 'red,-sky' })), [a!])
      const many = Array.from({ length: 21 }, (_, i) => `t${i}`).join(',')
      assert.deepEqual(await search(aliceWrite, { tags: many, tag_mode: 'all' }), fail(1, 'Too many tags in ALL query'))
    })

    it('machine_tags: full tags, namespace, predicate and value wildcards, any/all, errors 11 and 12', async () => {
      const mt = (machine_tags: string, extra: Record<string, string> = {}) => search(aliceWrite, { machine_tags, ...extra }).then(ids).then(sorted)
      assert.deepEqual(await mt('checksum:md5=aa11'), [a!], 'the value is matched on its clean form (stored AA11)')
      assert.deepEqual(await mt('checksum:md5=AA11'), [a!])
      assert.deepEqual(await mt('dc:'), sorted([a!, d!]))
      assert.deepEqual(await mt('dc:title='), sorted([a!, d!]))
      assert.deepEqual(await mt('dc:title="mr. camera"'), [a!])
      assert.deepEqual(await mt('*:*="mr. camera"'), [a!])
      assert.deepEqual(await mt('*:title=other'), [d!])
      assert.deepEqual(await mt('dc:*=other'), [d!])
      assert.deepEqual(await mt('geo:country=norway,checksum:'), sorted([a!, b!]))
      assert.deepEqual(await mt('geo:country=norway,checksum:', { machine_tag_mode: 'all' }), [])
      assert.deepEqual(await mt('checksum:,dc:', { machine_tag_mode: 'all' }), [a!])
      assert.deepEqual(await search(aliceWrite, { machine_tags: 'nonsense' }), fail(11, 'No valid machine tags'))
      const nine = Array.from({ length: 9 }, (_, i) => `ns:p${i}=v`).join(',')
      assert.deepEqual(await search(aliceWrite, { machine_tags: nine }), fail(12, 'Exceeded maximum allowable machine tags'))
      assert.equal((await search(aliceWrite, { machine_tags: nine, machine_tag_mode: 'all' })).stat, 'ok', '9 is fine in all mode (max 16)')
    })

    it('text over title, description and tags; -term excludes', async () => {
      assert.deepEqual(sorted(ids(await search(aliceWrite, { user_id: 'me', text: 'red' }))), sorted([a!, c!]))
      assert.deepEqual(ids(await search(aliceWrite, { user_id: 'me', text: 'BROWN' })), [a!], 'description, case-insensitive')
      assert.deepEqual(ids(await search(aliceWrite, { user_id: 'me', text: 'Ocean' })), [b!], 'a tag only')
      assert.deepEqual(ids(await search(aliceWrite, { user_id: 'me', text: 'red -fox' })), [c!])
      assert.deepEqual(ids(await search(aliceWrite, { user_id: 'me', text: '100%' })), [], 'LIKE wildcards are literal')
    })

    it('upload and taken dates (Unix or MySQL datetime), inclusive', async () => {
      assert.deepEqual(sorted(ids(await search(aliceWrite, { user_id: 'me', min_upload_date: '1600000100', max_upload_date: '1600000200' }))), sorted([b!, c!]))
      assert.deepEqual(ids(await search(aliceWrite, { user_id: 'me', min_upload_date: '2020-09-13 12:28:20' })), [c!, b!], '1600000100 as a datetime')
      assert.deepEqual(ids(await search(aliceWrite, { user_id: 'me', min_taken_date: '2020-01-01', max_taken_date: '2021-12-31 23:59:59' })), [c!, a!])
      assert.deepEqual(ids(await search(aliceWrite, { user_id: 'me', max_taken_date: String(Date.UTC(2019, 11, 31) / 1000) })), [b!])
    })

    it('privacy_filter, media, content_type, safe_search, license, has_geo', async () => {
      const me = (extra: Record<string, string>) => search(aliceWrite, { user_id: 'me', ...extra }).then(ids).then(sorted)
      assert.deepEqual(await me({ privacy_filter: '5' }), [c!])
      assert.deepEqual(await me({ privacy_filter: '1' }), sorted([a!, b!]))
      assert.deepEqual(await me({ media: 'videos' }), [])
      assert.deepEqual(await me({ media: 'photos' }), sorted([a!, b!, c!]))
      assert.deepEqual(await me({ content_type: '2' }), [b!])
      assert.deepEqual(await me({ content_type: '1' }), sorted([a!, c!]))
      assert.deepEqual(await me({ license: '4' }), [a!])
      assert.deepEqual(await me({ license: '0, 4' }), sorted([a!, b!, c!]))
      assert.deepEqual(await me({ has_geo: '1' }), [b!])
      assert.deepEqual(await me({ has_geo: '0' }), sorted([a!, c!]))
      assert.deepEqual(sorted(ids(await search(null, { tags: 'fox' }))), [a!], 'calls without a user see safe photos only (d is moderate)')
      assert.deepEqual(sorted(ids(await search(aliceWrite, { tags: 'fox', safe_search: '1' }))), [a!])
      assert.deepEqual(sorted(ids(await search(aliceWrite, { tags: 'fox', safe_search: '2' }))), sorted([a!, d!]))
    })

    it('hidden photos (setSafetyLevel hidden=1) leave everybody’s search but stay in their owner’s stream and in user_id searches', async () => {
      assert.equal((await call(bobRead, { method: 'flickr.photos.setSafetyLevel', photo_id: d!, hidden: '1' })).stat, 'ok')
      assert.deepEqual(ids(await search(aliceWrite, { tags: 'fox' })), [a!])
      assert.deepEqual(sorted(ids(await search(bobRead, { tags: 'fox' }))), sorted([a!, d!, e!]), 'the owner still finds it')
      assert.deepEqual(ids(await search(aliceWrite, { user_id: bob.nsid, tags: 'fox' })), [d!])
      assert.equal((await call(bobRead, { method: 'flickr.photos.setSafetyLevel', photo_id: d!, hidden: '0' })).stat, 'ok')
    })

    it('every documented sort', async () => {
      const by = (sort: string) => search(aliceWrite, { user_id: 'me', sort }).then(ids)
      assert.deepEqual(await by('date-posted-desc'), [c!, b!, a!])
      assert.deepEqual(await by('date-posted-asc'), [a!, b!, c!])
      assert.deepEqual(await by('date-taken-asc'), [b!, a!, c!])
      assert.deepEqual(await by('date-taken-desc'), [c!, a!, b!])
      assert.deepEqual(await by('interestingness-desc'), [b!, a!, c!])
      assert.deepEqual(await by('interestingness-asc'), [c!, a!, b!])
      assert.deepEqual(await by('relevance'), [c!, b!, a!])
      assert.deepEqual(await by('bogus'), [c!, b!, a!], 'unknown: the default')
    })

    it('paging: per_page capped at 500, past the last page an empty list with the page echoed; pages 0 without results', async () => {
      const page2 = (await search(aliceWrite, { user_id: 'me', per_page: '2', page: '2' })).photos
      assert.deepEqual([page2.page, page2.pages, page2.perpage, page2.total, page2.photo.length], [2, 2, 2, 3, 1])
      const past = (await search(aliceWrite, { user_id: 'me', per_page: '2', page: '9' })).photos
      assert.deepEqual(past, { page: 9, pages: 2, perpage: 2, total: 3, photo: [] })
      assert.equal((await search(aliceWrite, { user_id: 'me', per_page: '9999' })).photos.perpage, 500)
      assert.deepEqual((await search(aliceWrite, { tags: 'nothingatall' })).photos, { page: 1, pages: 0, perpage: 100, total: 0, photo: [] })
      const xml: string = await search(aliceWrite, { tags: 'nothingatall' }, 'rest')
      assert.match(xml, /<photos page="1" pages="0" perpage="100" total="0" \/>/)
    })

    it('errors: parameterless search 3, unknown user 2, me without a user 2', async () => {
      assert.deepEqual(await search(aliceWrite, {}), fail(3, 'Parameterless searches have been disabled. Please use flickr.photos.getRecent instead.'))
      assert.deepEqual(await search(aliceWrite, { media: 'photos', sort: 'date-posted-asc', extras: 'tags' }), fail(3, 'Parameterless searches have been disabled. Please use flickr.photos.getRecent instead.'))
      assert.deepEqual(await search(aliceWrite, { user_id: '1@N99' }), fail(2, 'Unknown user'))
      assert.deepEqual(await search(null, { user_id: 'me' }), fail(2, 'Unknown user'))
    })

    it('getRecent: everybody’s public photos, newest first; recentlyUpdated: the caller’s, by last update', async () => {
      assert.deepEqual(ids(await call(aliceWrite, { method: 'flickr.photos.getRecent' })), [d!, b!, a!], 'public only, the caller’s private one too is left out')
      assert.deepEqual(ids(await call(null, { method: 'flickr.photos.getRecent' })), [b!, a!], 'safe only without a user')
      const updated = await call(aliceWrite, { method: 'flickr.photos.recentlyUpdated', min_date: '1700000100', extras: 'last_update' })
      assert.deepEqual(updated.photos.photo.map((p: Json) => [p.id, p.lastupdate]), [[b!, '1700000500'], [c!, '1700000100']])
      assert.deepEqual(ids(await call(aliceWrite, { method: 'flickr.photos.recentlyUpdated', min_date: '2023-11-14 22:15:00' })), [b!, c!])
      assert.deepEqual(ids(await call(bobRead, { method: 'flickr.photos.recentlyUpdated', min_date: '1' })).length, 2, 'bob’s own photos only')
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.recentlyUpdated' }), fail(1, 'Required argument missing.'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.recentlyUpdated', min_date: 'not a date' }), fail(2, 'Not a valid date'))
      assert.equal((await call(null, { method: 'flickr.photos.recentlyUpdated', min_date: '1' })).code, 99)
    })

    it('every list carries gallery-dl’s extras: it skips entries lacking description._content, views, dateupload, tags, ownername, pathalias or media', async () => {
      const extras = 'description, license,date_upload,date_taken,owner_name,icon_server,original_format,last_update,geo,tags,machine_tags,o_dims,views,media,path_alias,url_sq,url_t,url_s,url_q,url_m,url_n,url_w,url_z,url_c,url_l,url_h,url_k,url_o'
      const lists = [
        await search(aliceWrite, { user_id: 'me', extras }),
        await call(aliceWrite, { method: 'flickr.people.getPhotos', user_id: 'me', extras }),
        await call(aliceWrite, { method: 'flickr.photos.getRecent', extras }),
        await call(aliceWrite, { method: 'flickr.photos.recentlyUpdated', min_date: '1', extras }),
      ]
      for (const rsp of lists) {
        assert.ok(rsp.photos.photo.length > 0)
        for (const photo of rsp.photos.photo) {
          // gallery-dl's _extract_format / metadata checks, verbatim in spirit: a KeyError skips the photo.
          for (const key of ['views', 'dateupload', 'tags', 'ownername', 'pathalias', 'media']) assert.ok(key in photo, `${key} in ${JSON.stringify(photo)}`)
          assert.equal(typeof photo.description._content, 'string')
          assert.equal(typeof rsp.photos.page, 'number')
          assert.equal(typeof rsp.photos.pages, 'number')
        }
      }
      const fox = lists[0].photos.photo.find((p: Json) => p.id === a)
      assert.deepEqual([fox.license, fox.tags, fox.machine_tags, fox.ownername, fox.description._content], ['4', 'fox red checksum:md5=aa11 dc:title=mrcamera', 'checksum:md5=aa11 dc:title=mrcamera', 'alice', 'A quick <b>brown</b> animal'])
      const sea = lists[0].photos.photo.find((p: Json) => p.id === b)
      assert.deepEqual([sea.latitude, sea.longitude, sea.accuracy, sea.context, sea.geo_is_public], ['59.900000', '10.750000', '16', 0, 1])
      assert.deepEqual([fox.latitude, fox.accuracy], ['0', '0'])
      assert.equal(typeof fox.height_sq, 'number')
      assert.match(fox.url_o, /_o\.jpg$/)
    })
  })
}
