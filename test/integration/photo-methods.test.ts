import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg } from '../helpers/images.js'
import { signedCall } from '../helpers/oauth-client.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

type Token = { token: string; secret: string }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

for (const backend of testBackends()) {
  describe(`photo methods (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let bob: TestUser
    let app: TestApp
    let aliceWrite: Token
    let aliceRead: Token
    let aliceDelete: Token
    let bobWrite: Token
    // The server's clock runs a settable offset ahead of real time (within the OAuth timestamp window).
    let offset = 0
    const tick = (seconds = 5) => {
      offset += seconds
    }

    before(async () => {
      server = await startTestServer({ backend, clock: () => Math.floor(Date.now() / 1000) + offset })
      alice = await server.createUser('alice', { pro: true, fullname: 'Alice A.' })
      bob = await server.createUser('bob', { pro: true })
      app = await server.createApp('alice')
      aliceWrite = await server.createToken(alice, app, 'write')
      aliceRead = await server.createToken(alice, app, 'read')
      aliceDelete = await server.createToken(alice, app, 'delete')
      bobWrite = await server.createToken(bob, app, 'write')
    })
    after(() => server.close())

    const consumer = () => ({ key: app.apiKey, secret: app.secret })

    async function call(token: Token | null, params: Record<string, string>, format: 'json' | 'rest' = 'json'): Promise<Json> {
      const method = /\.(get|getInfo|getSizes|getPhotos)$/.test(params.method!) ? 'GET' : 'POST'
      const result = await signedCall({
        method,
        url: `${server.url}/services/rest/`,
        params: format === 'json' ? { ...params, format: 'json', nojsoncallback: '1' } : params,
        consumer: consumer(),
        token: token ? { key: token.token, secret: token.secret } : undefined,
        placement: method === 'GET' ? 'query' : 'body',
        dispatcher: server.dispatcher,
      })
      assert.equal(result.status, 200)
      return format === 'json' ? JSON.parse(result.body) : result.body
    }

    async function upload(token: Token, fields: Record<string, string>, seed = 1): Promise<string> {
      const response = await photoCall({
        url: `${server.url}/services/upload/`,
        fields,
        file: { data: await makeJpeg({ width: 400, height: 300, seed }) },
        consumer: consumer(),
        token: { key: token.token, secret: token.secret },
        dispatcher: server.dispatcher,
      })
      const id = parsePhotoResponse(response.body).id
      assert.ok(id, response.body)
      return id
    }

    async function statusOf(url: string): Promise<number> {
      const response = await fetch(url, { dispatcher: server.dispatcher })
      await response.arrayBuffer()
      return response.status
    }

    const notFound = { stat: 'fail', code: 1, message: 'Photo not found' }

    it('getInfo: Flickr JSON shape and types, kept across a replace while secrets and lastupdate change', async () => {
      const id = await upload(aliceWrite, { title: 'First', description: 'About <it>', tags: 'Sky "Long Tag" geo:lat=12' })
      const info = (await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id })).photo
      assert.equal(info.id, id)
      assert.match(info.secret, /^[0-9a-f]{10}$/)
      assert.match(info.originalsecret, /^[0-9a-f]{10}$/)
      assert.equal(info.server, '65535')
      assert.deepEqual(
        [info.farm, info.isfavorite, info.license, info.safety_level, info.rotation, info.originalformat, info.views, info.media],
        [66, 0, '0', '0', 0, 'jpg', '0', 'photo'],
      )
      assert.deepEqual(info.owner, { nsid: alice.nsid, username: 'alice', realname: 'Alice A.', location: '', iconserver: '0', iconfarm: 0, path_alias: '' })
      assert.deepEqual(info.title, { _content: 'First' })
      assert.deepEqual(info.description, { _content: 'About <it>' })
      assert.deepEqual(info.visibility, { ispublic: 1, isfriend: 0, isfamily: 0 })
      assert.equal(info.dates.posted, info.dateuploaded)
      assert.equal(info.dates.lastupdate, info.dateuploaded)
      assert.match(info.dates.taken, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
      assert.deepEqual([info.dates.takengranularity, info.dates.takenunknown], ['0', 0])
      assert.deepEqual(info.comments, { _content: '0' })
      assert.deepEqual(info.notes, { note: [] })
      assert.deepEqual(info.people, { haspeople: 0 })
      assert.deepEqual(
        info.tags.tag.map((t: Json) => [t.raw, t._content, t.machine_tag, t.author, t.authorname]),
        [
          ['Sky', 'sky', 0, alice.nsid, 'alice'],
          ['Long Tag', 'longtag', 0, alice.nsid, 'alice'],
          ['geo:lat=12', 'geo:lat=12', 1, alice.nsid, 'alice'],
        ],
      )
      assert.equal(new Set(info.tags.tag.map((t: Json) => t.id)).size, 3)
      assert.deepEqual(info.urls, { url: [{ type: 'photopage', _content: `${server.url}/photos/${alice.nsid}/${id}/` }] })

      tick()
      const replaced = await photoCall({
        url: `${server.url}/services/replace/`,
        fields: { photo_id: id },
        file: { data: await makeJpeg({ width: 500, height: 300, seed: 9 }) },
        consumer: consumer(),
        token: { key: aliceWrite.token, secret: aliceWrite.secret },
        dispatcher: server.dispatcher,
      })
      assert.equal(parsePhotoResponse(replaced.body).id, id, replaced.body)
      const after = (await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id })).photo
      assert.notEqual(after.secret, info.secret)
      assert.notEqual(after.originalsecret, info.originalsecret)
      assert.equal(after.dateuploaded, info.dateuploaded)
      assert.ok(Number(after.dates.lastupdate) > Number(info.dates.lastupdate), 'lastupdate moved')
      assert.deepEqual([after.title, after.description, after.visibility, after.tags], [info.title, info.description, info.visibility, info.tags])
    })

    it('getInfo: REST XML', async () => {
      const id = await upload(aliceWrite, { title: 'A & B', tags: 'one' })
      const xml: string = await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id }, 'rest')
      assert.match(xml, new RegExp(`^<\\?xml version="1.0" encoding="utf-8" \\?>\\n<rsp stat="ok">\\n<photo id="${id}" secret="[0-9a-f]{10}" server="65535" farm="66" dateuploaded="\\d+" isfavorite="0" license="0" safety_level="0" rotation="0" originalsecret="[0-9a-f]{10}" originalformat="jpg" views="0" media="photo">\\n`))
      assert.match(xml, new RegExp(`\\t<owner nsid="${alice.nsid}" username="alice" realname="Alice A." location="" iconserver="0" iconfarm="0" path_alias="" />\\n`))
      assert.match(xml, /\t<title>A &amp; B<\/title>\n\t<description><\/description>\n\t<visibility ispublic="1" isfriend="0" isfamily="0" \/>\n/)
      assert.match(xml, new RegExp(`\\t<tags>\\n\\t\\t<tag id="[^"]+" author="${alice.nsid}" authorname="alice" raw="one" machine_tag="0">one</tag>\\n\\t</tags>\\n`))
      assert.match(xml, new RegExp(`\\t\\t<url type="photopage">${server.url}/photos/${alice.nsid}/${id}/</url>\\n`))
      assert.match(xml, /<\/photo>\n<\/rsp>\n$/)
    })

    it('getInfo and getSizes: private photos for the owner or the right secret only', async () => {
      const id = await upload(aliceWrite, { title: 'Private', is_public: '0' })
      const mine = (await call(aliceRead, { method: 'flickr.photos.getInfo', photo_id: id })).photo
      assert.deepEqual(mine.visibility, { ispublic: 0, isfriend: 0, isfamily: 0 })
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.getInfo', photo_id: id }), notFound)
      assert.deepEqual(await call(null, { method: 'flickr.photos.getInfo', photo_id: id }), notFound)
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.getInfo', photo_id: id, secret: 'ffffffffff' }), notFound)
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.getSizes', photo_id: id }), notFound)
      const shared = (await call(bobWrite, { method: 'flickr.photos.getInfo', photo_id: id, secret: mine.secret })).photo
      assert.equal(shared.id, id)
      assert.equal(shared.originalsecret, undefined, 'the original secret is the owner’s')
      assert.equal(shared.permissions, undefined)
      assert.deepEqual(shared.editability, { cancomment: 0, canaddmeta: 0 })

      const publicId = await upload(aliceWrite, { title: 'Public' })
      const seen = (await call(null, { method: 'flickr.photos.getInfo', photo_id: publicId })).photo
      assert.equal(seen.originalsecret, undefined)
      for (const bad of ['999999999999', 'abc', '']) {
        assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: bad }), notFound)
      }
    })

    it('getSizes: Flickr JSON shape, table order, numbers for dimensions', async () => {
      const id = await upload(aliceWrite, { title: 'Sizes' })
      const { sizes, stat } = await call(null, { method: 'flickr.photos.getSizes', photo_id: id })
      assert.equal(stat, 'ok')
      assert.deepEqual([sizes.canblog, sizes.canprint, sizes.candownload], [0, 0, 1])
      assert.deepEqual(
        sizes.size.map((s: Json) => [s.label, s.width, s.height, s.media]),
        [
          ['Square', 75, 75, 'photo'],
          ['Large Square', 150, 150, 'photo'],
          ['Thumbnail', 100, 75, 'photo'],
          ['Small', 240, 180, 'photo'],
          ['Small 320', 320, 240, 'photo'],
          ['Small 400', 400, 300, 'photo'],
          ['Medium', 400, 300, 'photo'],
          ['Original', 400, 300, 'photo'],
        ],
      )
      const page = `${server.url}/photos/${alice.nsid}/${id}/sizes/`
      assert.deepEqual(sizes.size.map((s: Json) => s.url), ['sq', 'q', 't', 's', 'n', 'w', 'm', 'o'].map((code) => `${page}${code}/`))
      assert.match(sizes.size[0].source, new RegExp(`^${server.url}/65535/${id}_[0-9a-f]{10}_s\\.jpg$`))
      assert.match(sizes.size.at(-1).source, new RegExp(`_[0-9a-f]{10}_o\\.jpg$`))
    })

    it('people.getPhotos: pages of the caller’s photos; another user sees public ones only', async () => {
      const carol = await server.createUser('carol', { pro: true })
      const carolToken = await server.createToken(carol, app, 'write')
      const ids: string[] = []
      for (let i = 0; i < 3; i++) {
        tick()
        ids.push(await upload(carolToken, { title: `Carol ${i}`, is_public: i === 1 ? '0' : '1' }, i + 1))
      }
      const page1 = (await call(carolToken, { method: 'flickr.people.getPhotos', user_id: 'me', per_page: '2', extras: 'original_format' })).photos
      assert.deepEqual([page1.page, page1.pages, page1.perpage, page1.total], [1, 2, 2, 3])
      assert.deepEqual(page1.photo.map((p: Json) => p.id), [ids[2], ids[1]])
      const first = page1.photo[0]
      assert.deepEqual(
        [first.owner, first.server, first.farm, first.title, first.ispublic, first.isfriend, first.isfamily, first.originalformat],
        [carol.nsid, '65535', 66, 'Carol 2', 1, 0, 0, 'jpg'],
      )
      assert.match(first.secret, /^[0-9a-f]{10}$/)
      const page2 = (await call(carolToken, { method: 'flickr.people.getPhotos', user_id: carol.nsid, per_page: '2', page: '2' })).photos
      assert.deepEqual(page2.photo.map((p: Json) => p.id), [ids[0]])
      assert.equal(page2.photo[0].originalformat, undefined)
      const beyond = (await call(carolToken, { method: 'flickr.people.getPhotos', user_id: 'me', per_page: '2', page: '9' })).photos
      assert.deepEqual(beyond.photo, [])
      const defaults = (await call(carolToken, { method: 'flickr.people.getPhotos', user_id: 'me', per_page: '100000' })).photos
      assert.equal(defaults.perpage, 500)

      const seenByBob = (await call(bobWrite, { method: 'flickr.people.getPhotos', user_id: carol.nsid, extras: 'original_format' })).photos
      assert.deepEqual(seenByBob.photo.map((p: Json) => p.id), [ids[2], ids[0]])
      assert.equal(seenByBob.total, 2)
      assert.equal(seenByBob.photo[0].originalsecret, undefined)
      assert.deepEqual(await call(bobWrite, { method: 'flickr.people.getPhotos', user_id: '1@N99' }), { stat: 'fail', code: 2, message: 'Unknown user' })
      const xml: string = await call(carolToken, { method: 'flickr.people.getPhotos', user_id: 'me', per_page: '1' }, 'rest')
      assert.match(xml, new RegExp(`<photos page="1" pages="3" perpage="1" total="3">\\n\\t<photo id="${ids[2]}" owner="${carol.nsid}" secret="[0-9a-f]{10}" server="65535" farm="66" title="Carol 2" ispublic="1" isfriend="0" isfamily="0" />\\n</photos>`))
    })

    it('setMeta and setTags change metadata and bump lastupdate; permissions and ownership are checked', async () => {
      const id = await upload(aliceWrite, { title: 'Before', description: 'Old', tags: 'a b' })
      const before = (await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id })).photo
      tick()
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setMeta', photo_id: id, title: 'After', description: 'New text' }), { stat: 'ok' })
      const meta = (await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id })).photo
      assert.deepEqual([meta.title._content, meta.description._content], ['After', 'New text'])
      assert.ok(Number(meta.dates.lastupdate) > Number(before.dates.lastupdate))
      assert.equal(meta.secret, before.secret, 'metadata changes keep the URLs')

      tick()
      await call(aliceWrite, { method: 'flickr.photos.setMeta', photo_id: id, title: 'Only title' })
      const partial = (await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id })).photo
      assert.deepEqual([partial.title._content, partial.description._content], ['Only title', 'New text'])

      tick()
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setTags', photo_id: id, tags: 'new "Two Words" NEW' }), { stat: 'ok' })
      const tagged = (await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id })).photo
      assert.deepEqual(tagged.tags.tag.map((t: Json) => [t.raw, t._content]), [['new', 'new'], ['Two Words', 'twowords']])
      assert.ok(Number(tagged.dates.lastupdate) > Number(partial.dates.lastupdate))
      await call(aliceWrite, { method: 'flickr.photos.setTags', photo_id: id, tags: '' })
      assert.deepEqual((await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id })).photo.tags, { tag: [] })

      const readOnly = await call(aliceRead, { method: 'flickr.photos.setMeta', photo_id: id, title: 'Nope' })
      assert.equal(readOnly.code, 99)
      assert.equal((await call(aliceRead, { method: 'flickr.photos.setTags', photo_id: id, tags: 'x' })).code, 99)
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.setMeta', photo_id: id, title: 'Mine now' }), notFound)
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.setTags', photo_id: id, tags: 'x' }), notFound)
      assert.equal((await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id })).photo.title._content, 'Only title')
    })

    it('writes answer 105 in maintenance mode while reads still work', async () => {
      const id = await upload(aliceWrite, { title: 'Frozen' })
      const settings = server.running.services.settings
      await settings.setReadOnly(true)
      try {
        const writes: Array<Record<string, string>> = [
          { method: 'flickr.photos.setMeta', photo_id: id, title: 'x' },
          { method: 'flickr.photos.setTags', photo_id: id, tags: 'x' },
          { method: 'flickr.photos.delete', photo_id: id },
        ]
        for (const params of writes) {
          assert.equal((await call(aliceDelete, params)).code, 105, params.method)
        }
        assert.equal((await call(aliceRead, { method: 'flickr.photos.getInfo', photo_id: id })).photo.title._content, 'Frozen')
      } finally {
        await settings.setReadOnly(false)
      }
    })

    it('delete: needs delete perms and ownership, removes rows and blobs, and its URLs 404', async () => {
      const id = await upload(aliceWrite, { title: 'Doomed', tags: 'bye' })
      const sizes = (await call(aliceWrite, { method: 'flickr.photos.getSizes', photo_id: id })).sizes.size
      for (const size of sizes) assert.equal(await statusOf(size.source), 200)
      const services = server.running.services
      const photo = (await services.photos.byId(id))!
      const keys = (await services.photos.files(id, photo.revision)).map((file) => file.blobKey)
      assert.equal(keys.length, sizes.length)

      assert.equal((await call(aliceWrite, { method: 'flickr.photos.delete', photo_id: id })).code, 99)
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.delete', photo_id: id }), { stat: 'fail', code: 99, message: 'Insufficient permissions. Method requires delete privileges; write granted.' })
      const bobDelete = await server.createToken(bob, app, 'delete')
      assert.deepEqual(await call(bobDelete, { method: 'flickr.photos.delete', photo_id: id }), notFound)
      assert.ok(await services.photos.byId(id), 'still there after refused deletes')

      assert.deepEqual(await call(aliceDelete, { method: 'flickr.photos.delete', photo_id: id }), { stat: 'ok' })
      for (const size of sizes) assert.equal(await statusOf(size.source), 404, size.label)
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.getInfo', photo_id: id }), notFound)
      assert.deepEqual(await call(aliceDelete, { method: 'flickr.photos.delete', photo_id: id }), notFound)
      assert.equal(await services.photos.byId(id), undefined)
      assert.deepEqual(await services.photos.tags(id), [])
      for (const key of keys) assert.equal(await services.blobs.stat(key), undefined, key)
      const garbage = await services.blobGarbage.due(Number.MAX_SAFE_INTEGER, 10_000)
      assert.ok(!keys.some((key) => garbage.includes(key)), 'deleted keys leave the garbage list')
    })
  })
}
