// The origin policy (src/http/public-urls.ts) over real HTTPS, no namespace needed: with dropIn every
// URL a response carries names Flickr's hosts (pages on www, files on live.staticflickr.com); without
// it, the request's own origin, as before.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { insertPhotos, restCaller, type Json, type Token } from '../helpers/album-fixtures.js'
import { startTestServer, type TestServer, type TestUser } from '../helpers/start-server.js'

/** Every URL-valued field the methods below answer with, by what kind of URL it is. */
async function urlsInResponses(call: ReturnType<typeof restCaller>, token: Token, user: TestUser, photoIds: string[]) {
  const sizes: Json = await call(token, { method: 'flickr.photos.getSizes', photo_id: photoIds[0]! })
  const info: Json = await call(token, { method: 'flickr.photos.getInfo', photo_id: photoIds[0]! })
  const person: Json = await call(token, { method: 'flickr.people.getInfo', user_id: user.nsid })
  const list: Json = await call(token, { method: 'flickr.people.getPhotos', user_id: user.nsid, extras: 'url_o,url_m,url_sq' })
  // Two photos uploaded in one second have either order: one of them has a neighbour with a thumb.
  const contexts: Json[] = await Promise.all(photoIds.map((id) => call(token, { method: 'flickr.photos.getContext', photo_id: id })))
  const thumbs = contexts.flatMap((c) => [c.prevphoto.thumb, c.nextphoto.thumb]).filter((thumb): thumb is string => thumb !== undefined)
  assert.equal(thumbs.length, 2)
  const set: Json = await call(token, { method: 'flickr.photosets.create', title: 'Drop-in', primary_photo_id: photoIds[0]! })
  const photo = list.photos.photo[0]
  return {
    files: [...sizes.sizes.size.map((s: Json) => s.source), photo.url_o, photo.url_m, photo.url_sq, ...thumbs] as string[],
    pages: [...sizes.sizes.size.map((s: Json) => s.url), info.photo.urls.url[0]._content, person.person.photosurl._content, person.person.profileurl._content, set.photoset.url] as string[],
  }
}

for (const dropIn of [true, false]) {
  describe(`URLs in responses (dropIn ${dropIn})`, () => {
    let server: TestServer
    let user: TestUser
    let token: Token
    let call: ReturnType<typeof restCaller>
    let photoIds: string[]
    before(async () => {
      server = await startTestServer({ config: { dropIn } })
      const uploader = await server.createUploader('alice')
      user = uploader.user
      token = await server.createToken(user, uploader.app, 'write')
      call = restCaller(server, uploader.app)
      photoIds = await insertPhotos(server.running.services, user.nsid, [{ title: 'one' }, { title: 'two' }])
    })
    after(() => server.close())

    it(dropIn ? 'names www.flickr.com for pages and live.staticflickr.com for files' : "uses the request's origin for both", async () => {
      const { files, pages } = await urlsInResponses(call, token, user, photoIds)
      const filesAt = dropIn ? 'https://live.staticflickr.com/' : `${server.url}/`
      const pagesAt = dropIn ? 'https://www.flickr.com/' : `${server.url}/`
      for (const url of files) assert.ok(url.startsWith(filesAt) && /\/\d+\/\d+_[0-9a-f]+(_[a-z])?\.jpg$/.test(url), url)
      for (const url of pages) assert.ok(url.startsWith(pagesAt), url)
    })

    it('serves the file a response names, whatever host the client asks for', async () => {
      const { files } = await urlsInResponses(call, token, user, photoIds)
      const path = new URL(files[0]!).pathname
      for (const host of ['live.staticflickr.com', 'farm66.staticflickr.com', 'farm66.static.flickr.com']) {
        const response = await fetch(`${server.url}${path}`, { dispatcher: server.dispatcher, headers: { host } })
        assert.equal(response.status, 200, host)
        await response.arrayBuffer()
      }
    })
  })
}
