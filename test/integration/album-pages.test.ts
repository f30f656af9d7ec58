import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { escapeHtml } from '../../src/http/auth-pages.js'
import { insertPhotos, restCaller, type Token } from '../helpers/album-fixtures.js'
import { testBackends } from '../helpers/backends.js'
import { startTestServer, type TestServer, type TestUser } from '../helpers/start-server.js'

// The album web pages: what an anonymous visitor may see, escaped, at the URL photosets.create answers.

const TITLE = 'Trip <script>alert(1)</script> & "co"'

for (const backend of testBackends()) {
  describe(`album pages (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let bob: TestUser
    let write: Token
    let call: ReturnType<typeof restCaller>
    let ids: string[]
    let albumUrl: string
    let hiddenId: string

    before(async () => {
      server = await startTestServer({ backend })
      const uploader = await server.createUploader('alice')
      alice = uploader.user
      bob = await server.createUser('bob')
      write = { token: uploader.token.key, secret: uploader.token.secret }
      call = restCaller(server, uploader.app)
      ids = await insertPhotos(server.running.services, alice.nsid, [{ title: 'Cover' }, { title: 'Secret', isPublic: false }, { title: 'Beach <b>' }, { title: 'Hidden cover', isPublic: false }])
      const created = await call(write, { method: 'flickr.photosets.create', title: TITLE, description: 'Line <i>one</i>', primary_photo_id: ids[0]! })
      albumUrl = created.photoset.url
      for (const photo of [ids[1]!, ids[2]!]) await call(write, { method: 'flickr.photosets.addPhoto', photoset_id: created.photoset.id, photo_id: photo })
      hiddenId = (await call(write, { method: 'flickr.photosets.create', title: 'Private album', primary_photo_id: ids[3]! })).photoset.id
    })
    after(() => server.close())

    async function page(path: string): Promise<{ status: number; html: string; type: string | null }> {
      const response = await fetch(path.startsWith('http') ? path : `${server.url}${path}`, { dispatcher: server.dispatcher })
      return { status: response.status, html: await response.text(), type: response.headers.get('content-type') }
    }

    it('the album page at photosets.create’s url shows its public photos, escaped; private ones never', async () => {
      const { status, html, type } = await page(albumUrl)
      assert.equal(status, 200)
      assert.equal(type, 'text/html; charset=utf-8')
      assert.ok(!html.includes('<script>alert'), 'title escaped')
      assert.ok(html.includes(`<h1>${escapeHtml(TITLE)}</h1>`))
      assert.ok(html.includes(escapeHtml('Line <i>one</i>')))
      assert.ok(html.includes(`/photos/${alice.nsid}/${ids[0]}/`) && html.includes(`/photos/${alice.nsid}/${ids[2]}/`))
      assert.ok(!html.includes(ids[1]!), 'the private member is not on the page')
      assert.ok(html.includes('2 public photos'))
      assert.match(html, new RegExp(`<img src="/65535/${ids[0]}_[0-9a-f]{10}_q\\.jpg" width="16" height="16" alt="Cover">`))
      assert.equal((await page(albumUrl.replace(/\/$/, ''))).status, 200, 'without the trailing slash too')
    })

    it('404 for an album whose primary is private, an unknown id, or a URL naming someone else', async () => {
      assert.equal((await page(`/photos/${alice.nsid}/albums/${hiddenId}/`)).status, 404)
      assert.equal((await page(`/photos/${alice.nsid}/albums/72157000000000000/`)).status, 404)
      assert.equal((await page(`/photos/${alice.nsid}/albums/x'"/`)).status, 404)
      const id = albumUrl.split('/').at(-2)!
      assert.equal((await page(`/photos/${bob.nsid}/albums/${id}/`)).status, 404)
      assert.equal((await page(`/photos/nobody/albums/`)).status, 404)
    })

    it('the photostream and /photos/{user}/albums/ list the public albums only', async () => {
      const id = albumUrl.split('/').at(-2)!
      for (const path of [`/photos/${alice.nsid}/`, `/photos/alice/albums/`]) {
        const { status, html } = await page(path)
        assert.equal(status, 200, path)
        assert.ok(html.includes(`href="/photos/${alice.nsid}/albums/${id}/"`), path)
        assert.ok(!html.includes(hiddenId) && !html.includes('Private album'), `${path}: the private album is not listed`)
        assert.ok(!html.includes('<script>alert'))
      }
      assert.ok((await page(`/photos/${alice.nsid}/`)).html.includes(`href="/photos/${alice.nsid}/albums/"`))
      const none = await page(`/photos/${bob.nsid}/albums/`)
      assert.ok(none.html.includes('No public albums yet.'))
      assert.ok(!(await page(`/photos/${bob.nsid}/`)).html.includes('Albums'), 'no albums block without albums')
    })
  })
}
