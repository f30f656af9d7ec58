import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { insertPhotos, restCaller, type Json, type Token } from '../helpers/album-fixtures.js'
import { testBackends } from '../helpers/backends.js'
import { startTestServer, type TestServer, type TestUser } from '../helpers/start-server.js'

// addTags, removeTag and tags.getList* over real HTTPS on both backends: raw and clean forms, machine
// tags, the 75-tag cap, tag ids as getInfo gives them, and who may see which tags.

const fail = (code: number, message: string) => ({ stat: 'fail', code, message })

for (const backend of testBackends()) {
  describe(`tags (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let aliceWrite: Token
    let aliceRead: Token
    let bobWrite: Token
    let call: ReturnType<typeof restCaller>
    let pub: string
    let priv: string

    before(async () => {
      server = await startTestServer({ backend })
      const uploader = await server.createUploader('alice')
      alice = uploader.user
      const bob = await server.createUser('bob')
      aliceWrite = { token: uploader.token.key, secret: uploader.token.secret }
      aliceRead = await server.createToken(alice, uploader.app, 'read')
      bobWrite = await server.createToken(bob, uploader.app, 'write')
      call = restCaller(server, uploader.app)
      const made = await insertPhotos(server.running.services, alice.nsid, [{ title: "Public" }, { title: "Private", isPublic: false }])
      pub = made[0]!
      priv = made[1]!
    })
    after(() => server.close())

    const infoTags = async (photo: string): Promise<Json[]> => (await call(aliceRead, { method: 'flickr.photos.getInfo', photo_id: photo })).photo.tags.tag

    it('addTags appends (known clean forms skipped), machine tags parsed; removeTag by getInfo’s id', async () => {
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setTags', photo_id: pub, tags: 'London' }), { stat: 'ok' })
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.addTags', photo_id: pub, tags: 'london "Day in the Life" checksum:md5=ABC123 geo:quartier="plateau mont royal"' }), { stat: 'ok' })
      const tags = await infoTags(pub)
      assert.deepEqual(tags.map((t) => [t.raw, t._content, t.machine_tag]), [
        ['London', 'london', 0],
        ['Day in the Life', 'dayinthelife', 0],
        ['checksum:md5=ABC123', 'checksum:md5=abc123', 1],
        ['geo:quartier=plateau mont royal', 'geo:quartier=plateaumontroyal', 1],
      ])
      const found = await call(aliceRead, { method: 'flickr.photos.search', user_id: 'me', machine_tags: 'checksum:md5=abc123' })
      assert.deepEqual(found.photos.photo.map((p: Json) => p.id), [pub])
      const checksum = tags[2]
      assert.match(checksum.id, new RegExp(`^${alice.nsid}-${pub}-\\d+$`))
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.removeTag', tag_id: checksum.id }), fail(1, 'Tag not found'), 'not bob’s')
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.removeTag', tag_id: checksum.id }), { stat: 'ok' })
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.removeTag', tag_id: checksum.id }), fail(1, 'Tag not found'), 'gone')
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.removeTag', tag_id: 'garbage' }), fail(1, 'Tag not found'))
      assert.deepEqual((await infoTags(pub)).map((t) => t.id), [tags[0].id, tags[1].id, tags[3].id], 'other ids unchanged')
      const again = await call(aliceRead, { method: 'flickr.photos.search', user_id: 'me', machine_tags: 'checksum:' })
      assert.deepEqual(again.photos.photo, [])
      assert.equal((await call(aliceRead, { method: 'flickr.photos.addTags', photo_id: pub, tags: 'x' })).code, 99)
      assert.deepEqual(await call(bobWrite, { method: 'flickr.photos.addTags', photo_id: pub, tags: 'x' }), fail(1, 'Photo not found'))
    })

    it('addTags: the 75-tag cap is all or nothing (2)', async () => {
      const seventyFour = Array.from({ length: 74 }, (_, i) => `t${i}`).join(' ')
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setTags', photo_id: priv, tags: seventyFour }), { stat: 'ok' })
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.addTags', photo_id: priv, tags: 'one two' }), fail(2, 'Maximum number of tags reached'))
      assert.equal((await infoTags(priv)).length, 74, 'none added')
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.addTags', photo_id: priv, tags: 't0 one' }), { stat: 'ok' }, 'a known tag does not count')
      assert.equal((await infoTags(priv)).length, 75)
      assert.deepEqual(await call(aliceWrite, { method: 'flickr.photos.setTags', photo_id: priv, tags: 'secret Secret! SECRET' }), { stat: 'ok' })
    })

    it('getListPhoto: getInfo’s tags; a private photo is 1 for others', async () => {
      const list = await call(aliceRead, { method: 'flickr.tags.getListPhoto', photo_id: pub })
      assert.deepEqual(list.photo.id, pub)
      assert.deepEqual(list.photo.tags.tag, await infoTags(pub))
      assert.deepEqual(await call(bobWrite, { method: 'flickr.tags.getListPhoto', photo_id: priv }), fail(1, 'Photo not found'))
      const xml: string = await call(aliceRead, { method: 'flickr.tags.getListPhoto', photo_id: pub }, 'rest')
      assert.match(xml, new RegExp(`<photo id="${pub}">\\n\\t<tags>\\n\\t\\t<tag id="[^"]+" author="${alice.nsid}" authorname="alice" raw="London" machine_tag="0">london</tag>`))
    })

    it('getListUser (alphabetical, others see public photos’ tags), getListUserRaw (the caller’s raw forms), getListUserPopular', async () => {
      const mine = await call(aliceRead, { method: 'flickr.tags.getListUser' })
      assert.deepEqual(mine.who.id, alice.nsid)
      assert.deepEqual(mine.who.tags.tag.map((t: Json) => t._content), ['dayinthelife', 'geo:quartier=plateaumontroyal', 'london', 'secret'])
      const theirs = await call(bobWrite, { method: 'flickr.tags.getListUser', user_id: alice.nsid })
      assert.deepEqual(theirs.who.tags.tag.map((t: Json) => t._content), ['dayinthelife', 'geo:quartier=plateaumontroyal', 'london'], 'not the private photo’s')
      assert.deepEqual(await call(null, { method: 'flickr.tags.getListUser', user_id: '1@N99' }), fail(1, 'User not found'))
      assert.deepEqual(await call(null, { method: 'flickr.tags.getListUser' }), fail(1, 'User not found'))
      const raw = await call(aliceRead, { method: 'flickr.tags.getListUserRaw', tag: 'SECRET' })
      assert.deepEqual(raw, { who: { id: alice.nsid, tags: { tag: [{ clean: 'secret', raw: [{ _content: 'secret' }] }] } }, stat: 'ok' })
      assert.deepEqual(await call(null, { method: 'flickr.tags.getListUserRaw' }), fail(1, 'User not found'))
      await call(aliceWrite, { method: 'flickr.photos.addTags', photo_id: priv, tags: 'london' })
      const popular = await call(bobWrite, { method: 'flickr.tags.getListUserPopular', user_id: alice.nsid, count: '5' })
      assert.deepEqual(popular.who.tags.tag.map((t: Json) => [t._content, t.count]), [['dayinthelife', 1], ['geo:quartier=plateaumontroyal', 1], ['london', 1]], 'public photos only for bob')
      const own = await call(aliceRead, { method: 'flickr.tags.getListUserPopular', count: '1' })
      assert.deepEqual(own.who.tags.tag.map((t: Json) => [t._content, t.count]), [['london', 2]])
    })
  })
}
