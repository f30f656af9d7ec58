import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { insertPhotos, restCaller, type Json, type Token } from '../helpers/album-fixtures.js'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg, writeTemp } from '../helpers/images.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestServer, type TestUploader, type TestUser } from '../helpers/start-server.js'

// Photo fields (dates, permissions, levels, licence, location), prefs, favourites, getExif and the
// upload's embedded-metadata import, over real HTTPS on both backends, with their errors and privacy.

const fail = (code: number, message: string) => ({ stat: 'fail', code, message })

/** A JPEG with IPTC keywords, XMP dc:subject, an embedded title/description and EXIF camera fields, made by exiftool. */
async function taggedJpeg(): Promise<Buffer> {
  const path = writeTemp(await makeJpeg({ width: 32, height: 24, seed: 9, exifDate: '2019:07:04 10:11:12' }), `tagged-${process.pid}.jpg`)
  execFileSync('exiftool', ['-q', '-overwrite_original', '-IPTC:Keywords=Harbour', '-IPTC:Keywords=night sky', '-XMP-dc:Subject=boats', '-IPTC:ObjectName=Embedded title', '-XMP-dc:Description=Embedded description', '-Make=Canon', '-Model=Canon EOS 20D', '-FNumber=1.8', '-ExposureTime=0.02', path])
  return readFileSync(path)
}

for (const backend of testBackends()) {
  describe(`photo fields, prefs, favourites (${backend.name})`, () => {
    let server: TestServer
    let uploader: TestUploader
    let alice: TestUser
    let aliceWrite: Token
    let bobWrite: Token
    let call: ReturnType<typeof restCaller>
    let pub: string
    let priv: string

    before(async () => {
      server = await startTestServer({ backend })
      uploader = await server.createUploader('alice')
      alice = uploader.user
      const bob = await server.createUser('bob')
      aliceWrite = { token: uploader.token.key, secret: uploader.token.secret }
      bobWrite = await server.createToken(bob, uploader.app, 'write')
      call = restCaller(server, uploader.app)
      const made = await insertPhotos(server.running.services, alice.nsid, [{ title: 'Public' }, { title: 'Private', isPublic: false }])
      pub = made[0]!
      priv = made[1]!
    })
    after(() => server.close())

    const info = async (id: string) => (await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id })).photo

    it('setDates: posted, taken (cut short), granularity; each error', async () => {
      const set = (extra: Record<string, string>) => call(aliceWrite, { method: 'flickr.photos.setDates', photo_id: pub, ...extra })
      assert.deepEqual(await set({ date_posted: '1500000000', date_taken: '2004-04', date_taken_granularity: '4' }), { stat: 'ok' })
      const { dates, dateuploaded } = await info(pub)
      assert.deepEqual([dates.posted, dateuploaded, dates.taken, dates.takengranularity], ['1500000000', '1500000000', '2004-04-01 00:00:00', '4'])
      assert.deepEqual(await set({}), fail(2, 'Not enough arguments'))
      assert.deepEqual(await set({ date_taken_granularity: '11' }), fail(3, 'Invalid granularity'))
      assert.deepEqual(await set({ date_posted: 'yesterday' }), fail(4, 'Invalid date_posted'))
      assert.deepEqual(await set({ date_taken: '04/04/2004' }), fail(5, 'Invalid Date Taken Format'))
      assert.deepEqual(await set({ date_taken: '2021-02-30' }), fail(6, 'Invalid Date Taken'))
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.setDates', photo_id: pub, date_taken: '2001-01-01' }), fail(1, 'Photo not found'))
    })

    it('setPerms/getPerms; the visibility rule follows (bob loses sight of a photo made private)', async () => {
      const rsp = await call(aliceWrite, { method: 'flickr.photos.setPerms', photo_id: priv, is_public: '1', is_friend: '0', is_family: '0', perm_comment: '1', perm_addmeta: '0' })
      assert.equal(rsp.photoid._content, priv)
      assert.deepEqual((await call(aliceWrite, { method: 'flickr.photos.getPerms', photo_id: priv })).perms, { id: priv, ispublic: 1, isfriend: 0, isfamily: 0, permcomment: 1, permaddmeta: 0, permprint: 0 })
      assert.equal((await call(bobWrite, { method: 'flickr.photos.getInfo', photo_id: priv })).stat, 'ok')
      assert.equal((await call(aliceWrite, { method: 'flickr.photos.setPerms', photo_id: priv, is_public: '0', is_friend: '0', is_family: '0' })).stat, 'ok')
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.getInfo', photo_id: priv }), fail(1, 'Photo not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setPerms', photo_id: priv, is_public: '1' }), fail(2, 'Required arguments missing'))
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.getPerms', photo_id: priv }), fail(1, 'Photo not found'))
    })

    it('setSafetyLevel, setContentType; licenses.getInfo and setLicense', async () => {
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setSafetyLevel', photo_id: pub, safety_level: '2', hidden: '1' }), { stat: 'ok' })
      assert.equal((await info(pub)).safety_level, '1', 'getInfo reports 0..2')
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setSafetyLevel', photo_id: pub }), fail(2, 'Invalid or missing arguments'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setSafetyLevel', photo_id: pub, safety_level: '1', hidden: '0' }), { stat: 'ok' })
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setContentType', photo_id: pub, content_type: '2' }), { stat: 'ok' })
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setContentType', photo_id: pub, content_type: '9' }), fail(2, 'Required arguments missing'))
      const found = await call(aliceWrite, { method: 'flickr.photos.search', user_id: 'me', content_type: '2' })
      assert.deepEqual(found.photos.photo.map((p: Json) => p.id), [pub])
      const licenses = (await call(null, { method: 'flickr.photos.licenses.getInfo' })).licenses.license
      assert.deepEqual(licenses.map((l: Json) => l.id), ['0', '4', '6', '3', '2', '1', '5', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16'])
      assert.deepEqual(licenses[1], { id: '4', name: 'CC BY 2.0', url: 'https://creativecommons.org/licenses/by/2.0/' })
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.licenses.setLicense', photo_id: pub, license_id: '11' }), { stat: 'ok' })
      assert.equal((await info(pub)).license, '11')
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.licenses.setLicense', photo_id: pub, license_id: '7' }), fail(2, 'License not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.licenses.setLicense', photo_id: pub, license_id: '99' }), fail(2, 'License not found'))
    })

    it('geo.setLocation/getLocation/removeLocation; location in getInfo and the geo extra; privacy', async () => {
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.geo.setLocation', photo_id: pub, lat: '51.5137109', lon: '-0.1255912', accuracy: '11' }), { stat: 'ok' })
      const location = { latitude: '51.513710', longitude: '-0.125591', accuracy: '11', context: 0 }
      assert.deepEqual((await call(null, { method: 'flickr.photos.geo.getLocation', photo_id: pub })).photo, { id: pub, location })
      assert.deepEqual((await info(pub)).location, location)
      const listed = await call(aliceWrite, { method: 'flickr.people.getPhotos', user_id: 'me', extras: 'geo' })
      const geo = listed.photos.photo.find((p: Json) => p.id === pub)
      assert.deepEqual([geo.latitude, geo.longitude, geo.accuracy], ['51.513710', '-0.125591', '11'])
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.geo.setLocation', photo_id: pub, lat: '91', lon: '0' }), fail(3, 'Not a valid latitude.'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.geo.setLocation', photo_id: pub, lat: '1', lon: '181' }), fail(4, 'Not a valid longitude.'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.geo.setLocation', photo_id: pub, lat: '1', lon: '1', accuracy: '17' }), fail(5, 'Not a valid accuracy.'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.geo.setLocation', photo_id: pub, lat: '1' }), fail(2, 'Required arguments missing.'))
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.geo.setLocation', photo_id: pub, lat: '1', lon: '1' }), fail(1, 'Photo not found'))
      assert.equal((await call(aliceWrite, { method: 'flickr.photos.geo.setLocation', photo_id: priv, lat: '1', lon: '1' })).stat, 'ok')
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.geo.getLocation', photo_id: priv }), fail(1, 'Photo not found'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.geo.removeLocation', photo_id: pub }), { stat: 'ok' })
      assert.deepEqual(await call(null, { method: 'flickr.photos.geo.getLocation', photo_id: pub }), fail(2, 'Photo has no location information.'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.geo.removeLocation', photo_id: pub }), fail(2, 'Photo has no location information.'))
      assert.equal((await info(pub)).location, undefined)
    })

    it('prefs.* answer the account’s upload defaults', async () => {
      const pref = async (name: string) => (await call(aliceWrite, { method: `flickr.prefs.${name}` })).person
      assert.deepEqual(await pref('getPrivacy'), { nsid: alice.nsid, privacy: 1 })
      assert.deepEqual(await pref('getSafetyLevel'), { nsid: alice.nsid, safety_level: 1 })
      assert.deepEqual(await pref('getHidden'), { nsid: alice.nsid, hidden: 0 })
      assert.deepEqual(await pref('getContentType'), { nsid: alice.nsid, content_type: 1 })
      assert.deepEqual(await pref('getGeoPerms'), { nsid: alice.nsid, geoperms: 1, importgeoexif: 0 })
      assert.equal((await call(null, { method: 'flickr.prefs.getPrivacy' })).code, 99)
    })

    it('favorites.add/remove/getList/getPublicList and photos.getFavorites, with their codes', async () => {
      assert.deepEqual(await call(bobWrite, { method: 'flickr.favorites.add', photo_id: pub }), { stat: 'ok' })
      assert.deepEqual(await call(bobWrite, { method: 'flickr.favorites.add', photo_id: pub }), fail(3, 'Photo is already in favorites'))
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.favorites.add', photo_id: pub }), fail(2, 'Photo is owned by you'))
      assert.deepEqual(await call(bobWrite, { method: 'flickr.favorites.add', photo_id: priv }), fail(1, 'Photo not found'))
      const bobNsid = (await call(bobWrite, { method: 'flickr.test.login' })).user.id
      const list = await call(bobWrite, { method: 'flickr.favorites.getList', extras: 'owner_name' })
      assert.deepEqual(list.photos.photo.map((p: Json) => [p.id, p.ownername, typeof p.date_faved]), [[pub, 'alice', 'string']])
      assert.deepEqual([list.photos.page, list.photos.pages, list.photos.total], [1, 1, 1])
      assert.equal((await call(null, { method: 'flickr.favorites.getPublicList', user_id: bobNsid })).photos.photo.length, 1)
      assert.deepEqual(await call(null, { method: 'flickr.favorites.getPublicList', user_id: '1@N99' }), fail(1, 'User not found'))
      const favers = (await call(null, { method: 'flickr.photos.getFavorites', photo_id: pub })).photo
      assert.deepEqual([favers.id, favers.page, favers.perpage, favers.total, favers.person.map((p: Json) => p.username)], [pub, 1, 10, 1, ['bob']])
      assert.deepEqual(await call(bobWrite, { method: 'flickr.favorites.remove', photo_id: pub }), { stat: 'ok' })
      assert.deepEqual(await call(bobWrite, { method: 'flickr.favorites.remove', photo_id: pub }), fail(1, 'Photo not in favorites'))
      assert.deepEqual((await call(bobWrite, { method: 'flickr.favorites.getList' })).photos.photo, [])
      // A favourite that turns private drops out of the faver's lists (the one visibility rule).
      assert.equal((await call(bobWrite, { method: 'flickr.favorites.add', photo_id: pub })).stat, 'ok')
      assert.equal((await call(aliceWrite, { method: 'flickr.photos.setPerms', photo_id: pub, is_public: '0', is_friend: '0', is_family: '0' })).stat, 'ok')
      assert.deepEqual((await call(bobWrite, { method: 'flickr.favorites.getList' })).photos.photo, [])
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.getFavorites', photo_id: pub }), fail(1, 'Photo not found'))
      assert.equal((await call(aliceWrite, { method: 'flickr.photos.getFavorites', photo_id: pub })).photo.total, 1, 'the owner still sees who faved it')
      assert.equal((await call(aliceWrite, { method: 'flickr.photos.setPerms', photo_id: pub, is_public: '1', is_friend: '0', is_family: '0' })).stat, 'ok')
    })

    it('deleting a favourite photo removes it from every favourites list', async () => {
      const [doomed] = await insertPhotos(server.running.services, alice.nsid, [{ title: 'Doomed' }])
      assert.equal((await call(bobWrite, { method: 'flickr.favorites.add', photo_id: doomed! })).stat, 'ok')
      const aliceDelete = await server.createToken(alice, uploader.app, 'delete')
      assert.deepEqual(await call(aliceDelete, { method: 'flickr.photos.delete', photo_id: doomed! }), { stat: 'ok' })
      const left = (await call(bobWrite, { method: 'flickr.favorites.getList' })).photos
      assert.deepEqual([left.total, left.photo.map((p: Json) => p.id)], [1, [pub]], 'only the earlier favourite remains')
    })

    it('upload imports embedded keywords (IPTC, XMP dc:subject) beside sent tags and fills empty title/description; replace does not; getExif reads the original', async () => {
      const data = await taggedJpeg()
      const upload = (fields: Record<string, string>) =>
        photoCall({ url: `${server.url}/services/upload/`, fields, file: { data }, consumer: uploader.consumer, token: uploader.token, dispatcher: server.dispatcher })
      const first = parsePhotoResponse((await upload({ tags: 'sent', title: '' })).body)
      assert.ok(first.id, 'uploaded')
      const photo = await info(first.id)
      assert.deepEqual(photo.tags.tag.map((t: Json) => t.raw), ['sent', 'Harbour', 'night sky', 'boats'])
      assert.deepEqual([photo.title._content, photo.description._content], ['Embedded title', 'Embedded description'])
      const kept = parsePhotoResponse((await upload({ title: 'Mine', description: 'My words', async: '1' })).body)
      assert.ok(kept.ticketId)
      // The async path imports the same; poll the list rather than the ticket.
      let found: Json
      for (let i = 0; i < 100 && !found; i++) {
        const rsp = await call(aliceWrite, { method: 'flickr.photos.search', user_id: 'me', text: 'Mine', extras: 'tags,description' })
        found = rsp.photos.photo[0]
        if (!found) await new Promise((r) => setTimeout(r, 50))
      }
      assert.deepEqual([found.title, found.description._content, found.tags], ['Mine', 'My words', 'harbour nightsky boats'])
      const replaced = await photoCall({ url: `${server.url}/services/replace/`, fields: { photo_id: pub }, file: { data }, consumer: uploader.consumer, token: uploader.token, dispatcher: server.dispatcher })
      assert.ok(parsePhotoResponse(replaced.body).id, replaced.body)
      assert.deepEqual((await info(pub)).tags.tag, [], 'replace imports nothing')
      const exif = (await call(aliceWrite, { method: 'flickr.photos.getExif', photo_id: first.id })).photo
      assert.equal(exif.camera, 'Canon EOS 20D')
      const byTag = new Map(exif.exif.map((e: Json) => [e.tag, e]))
      assert.deepEqual(byTag.get('FNumber'), { tagspace: 'ExifIFD', tagspaceid: 0, tag: 'FNumber', label: 'FNumber', raw: { _content: '1.8' }, clean: { _content: 'f/1.8' } })
      assert.deepEqual(byTag.get('ExposureTime'), { tagspace: 'ExifIFD', tagspaceid: 0, tag: 'ExposureTime', label: 'ExposureTime', raw: { _content: '1/50' }, clean: { _content: '0.02 sec (1/50)' } })
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.getExif', photo_id: priv }), fail(1, 'Photo not found'))
    })
  })
}
