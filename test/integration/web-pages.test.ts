import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg } from '../helpers/images.js'
import { signedCall } from '../helpers/oauth-client.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

interface Size {
  label: string
  width: number
  height: number
  source: string
  url: string
}

const TITLE = 'Sunset <script>alert(1)</script> & co'
// No newline: undici's FormData sends it as CRLF in multipart bodies, while the signature was over LF.
const DESCRIPTION = 'Seen from "the hill" <b>not bold</b>'

for (const backend of testBackends()) {
  describe(`web pages (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let bob: TestUser
    let app: TestApp
    let token: { token: string; secret: string }
    let publicId: string
    let privateId: string

    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUser('alice', { pro: true })
      bob = await server.createUser('bob', { pro: true })
      app = await server.createApp('alice')
      token = await server.createToken(alice, app, 'write')
      // 1200×900: big enough for Medium 640 and Large 1024, not for Large 1600.
      publicId = await upload(await makeJpeg({ width: 1200, height: 900, seed: 3 }), { title: TITLE, description: DESCRIPTION, tags: 'beach "golden hour"' })
      privateId = await upload(await makeJpeg({ seed: 4 }), { title: 'Secret diary', is_public: '0' })
    })
    after(() => server.close())

    async function upload(data: Buffer, fields: Record<string, string>): Promise<string> {
      const consumer = { key: app.apiKey, secret: app.secret }
      const response = await photoCall({ url: `${server.url}/services/upload/`, fields, file: { data }, consumer, token: { key: token.token, secret: token.secret }, dispatcher: server.dispatcher })
      const id = parsePhotoResponse(response.body).id
      assert.ok(id, response.body)
      return id
    }

    async function rest(params: Record<string, string>): Promise<Record<string, unknown>> {
      const result = await signedCall({
        method: 'GET',
        url: `${server.url}/services/rest/`,
        params: { ...params, format: 'json', nojsoncallback: '1' },
        consumer: { key: app.apiKey, secret: app.secret },
        token: { key: token.token, secret: token.secret },
        placement: 'query',
        dispatcher: server.dispatcher,
      })
      const body = JSON.parse(result.body)
      assert.equal(body.stat, 'ok', result.body)
      return body
    }

    // Bodies are always read: an unread one keeps its connection busy and server.close() waiting.
    async function page(path: string): Promise<{ status: number; body: string; headers: Headers }> {
      const response = await fetch(path.startsWith('http') ? path : `${server.url}${path}`, { dispatcher: server.dispatcher })
      return { status: response.status, body: await response.text(), headers: response.headers as unknown as Headers }
    }

    function assertPageHeaders(headers: Headers) {
      assert.equal(headers.get('content-type'), 'text/html; charset=utf-8')
      // No inline script or style anywhere: the pages load /static/ files from this server only.
      assert.match(headers.get('content-security-policy') ?? '', /default-src 'self'; img-src 'self' blob:; style-src 'self'; script-src 'self'/)
      assert.equal(headers.get('x-content-type-options'), 'nosniff')
      assert.equal(headers.get('referrer-policy'), 'same-origin')
    }

    const imgSources = (html: string) => [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => (m[1] ?? '').replace(/&#38;/g, '&'))

    async function assertServesImage(src: string) {
      const response = await fetch(new URL(src, server.url), { dispatcher: server.dispatcher })
      const bytes = Buffer.from(await response.arrayBuffer())
      assert.equal(response.status, 200, src)
      assert.match(response.headers.get('content-type') ?? '', /^image\//)
      assert.ok(bytes.length > 0)
    }

    it('shows a public photo: escaped title and description, tags, owner, picture and all-sizes link', async () => {
      for (const path of [`/photos/${alice.nsid}/${publicId}/`, `/photos/${alice.nsid}/${publicId}`, `/photos/alice/${publicId}/`]) {
        const { status, body, headers } = await page(path)
        assert.equal(status, 200, path)
        assertPageHeaders(headers)
        assert.ok(!body.includes('<script>'), 'title is escaped')
        assert.ok(body.includes('Sunset &#60;script&#62;alert(1)&#60;/script&#62; &#38; co'))
        assert.ok(body.includes('Seen from &#34;the hill&#34; &#60;b&#62;not bold&#60;/b&#62;'))
        assert.ok(!body.includes('<b>not bold'))
        assert.match(body, /<li>beach<\/li>/)
        assert.match(body, /<li>golden hour<\/li>/)
        assert.match(body, />alice<\/a>/)
        assert.match(body, /<img src="[^"]+_z\.jpg" width="640" height="480"/)
        assert.ok(body.includes(`href="/photos/${alice.nsid}/${publicId}/sizes/z/">All sizes</a>`))
      }
      const { body } = await page(`/photos/${alice.nsid}/${publicId}/`)
      const sources = imgSources(body)
      assert.equal(sources.length, 1)
      await assertServesImage(sources[0] ?? '')
    })

    it('getInfo photopage and every getSizes url resolve to pages; each size page offers its source', async () => {
      const info = (await rest({ method: 'flickr.photos.getInfo', photo_id: publicId })) as { photo: { urls: { url: { type: string; _content: string }[] } } }
      const photopage = info.photo.urls.url.find((u) => u.type === 'photopage')?._content ?? ''
      assert.equal(photopage, `${server.url}/photos/${alice.nsid}/${publicId}/`)
      assert.equal((await page(photopage)).status, 200)

      const sizes = ((await rest({ method: 'flickr.photos.getSizes', photo_id: publicId })) as { sizes: { size: Size[] } }).sizes.size
      assert.deepEqual(sizes.map((s) => s.label).slice(-3), ['Medium 800', 'Large', 'Original'])
      for (const size of sizes) {
        const { status, body, headers } = await page(size.url)
        assert.equal(status, 200, size.url)
        assertPageHeaders(headers)
        const sourcePath = new URL(size.source).pathname
        assert.ok(body.includes(`<a href="${sourcePath}" download>`), `${size.label} download link`)
        assert.ok(body.includes(`<h2>${size.label}: ${size.width} × ${size.height}</h2>`))
        // Every other size is linked by its label; the chosen one is not.
        for (const other of sizes) {
          const link = `<a href="${new URL(other.url).pathname}">${other.label}</a>`
          assert.equal(body.includes(link), other !== size, `${size.label} page, link to ${other.label}`)
        }
        assert.deepEqual(imgSources(body), [sourcePath])
        await assertServesImage(sourcePath)
      }
    })

    it('answers 404 pages for unknown, mismatched, private and unavailable', async () => {
      const missing = [
        `/photos/${alice.nsid}/${privateId}/`,
        `/photos/alice/${privateId}/`,
        `/photos/${alice.nsid}/${privateId}/sizes/o/`,
        `/photos/${alice.nsid}/99999999999/`,
        `/photos/${alice.nsid}/not-a-number/`,
        `/photos/${bob.nsid}/${publicId}/`,
        `/photos/nobody/${publicId}/`,
        `/photos/nobody/`,
        `/photos/${alice.nsid}/${publicId}/sizes/x/`,
        `/photos/${alice.nsid}/${publicId}/sizes/k/`, // too small for Large 2048
        `/photos/${alice.nsid}/${publicId}/extra/path/`,
      ]
      for (const path of missing) {
        const { status, body, headers } = await page(path)
        assert.equal(status, 404, path)
        assertPageHeaders(headers)
        assert.match(body, /<h1>Not found<\/h1>/)
        assert.ok(!body.includes('Secret diary'))
      }
    })

    it("lists the owner's public photos only, with the count, as linked square thumbnails", async () => {
      for (const user of [alice.nsid, 'alice']) {
        const { status, body, headers } = await page(`/photos/${user}/`)
        assert.equal(status, 200)
        assertPageHeaders(headers)
        assert.match(body, /1 public photo</)
        assert.ok(body.includes(`<a href="/photos/${alice.nsid}/${publicId}/"><img src="`))
        assert.ok(!body.includes(privateId), 'private photo not listed')
        const sources = imgSources(body)
        assert.equal(sources.length, 1)
        assert.match(sources[0] ?? '', /_q\.jpg$/)
        assert.match(body, /_q\.jpg" width="150" height="150"/)
        await assertServesImage(sources[0] ?? '')
      }
      const empty = await page(`/photos/${bob.nsid}/`)
      assert.equal(empty.status, 200)
      assert.match(empty.body, /0 public photos/)
    })

    it('pages the photostream newest first, 50 a page', async () => {
      // Rows straight into the database: the listing needs no files, and 60 uploads would be slow.
      const carol = await server.createUser('carol')
      const photos = server.running.services.photos
      const template = await photos.byId(publicId)
      assert.ok(template)
      for (let i = 0; i < 61; i++) {
        const id = String(50_000_000_000 + i)
        await photos.insert({ ...template, id, ownerNsid: carol.nsid, datePosted: 1_700_000_000 + i, title: `Carol ${i}`, isPublic: i === 60 ? 0 : 1 }, [], [])
      }
      const first = await page(`/photos/${carol.nsid}/`)
      assert.match(first.body, /60 public photos · page 1 of 2/)
      const firstIds = [...first.body.matchAll(/href="\/photos\/[^/]+\/(\d+)\/"/g)].map((m) => Number(m[1]) - 50_000_000_000)
      assert.deepEqual(firstIds, Array.from({ length: 50 }, (_, i) => 59 - i))
      assert.ok(first.body.includes(`href="/photos/${carol.nsid}/?page=2" rel="next"`))

      const second = await page(`/photos/${carol.nsid}/?page=2`)
      const secondIds = [...second.body.matchAll(/href="\/photos\/[^/]+\/(\d+)\/"/g)].map((m) => Number(m[1]) - 50_000_000_000)
      assert.deepEqual(secondIds, Array.from({ length: 10 }, (_, i) => 9 - i))
      assert.ok(second.body.includes(`href="/photos/${carol.nsid}/?page=1" rel="prev"`))
      assert.ok(!second.body.includes('rel="next"'))

      assert.match((await page(`/photos/${carol.nsid}/?page=junk`)).body, /page 1 of 2/)
      const beyond = await page(`/photos/${carol.nsid}/?page=9`)
      assert.equal(beyond.status, 200)
      assert.match(beyond.body, /No photos on this page/)
    })

    it('serves a home page', async () => {
      const { status, body, headers } = await page('/')
      assert.equal(status, 200)
      assertPageHeaders(headers)
      assert.match(body, /<h1>Retake<\/h1>/)
      assert.match(body, /Flickr/)
      assert.ok(body.includes('/services/rest/'))
    })

    it('redirects pages on the plain-HTTP listener to HTTPS', async () => {
      assert.ok(server.httpUrl)
      const httpsPort = new URL(server.url).port
      for (const path of ['/', `/photos/${alice.nsid}/`, `/photos/${alice.nsid}/${publicId}/`, `/photos/${alice.nsid}/${publicId}/sizes/z/`]) {
        const response = await fetch(`${server.httpUrl}${path}`, { redirect: 'manual' })
        await response.arrayBuffer()
        assert.equal(response.status, 301, path)
        const location = new URL(response.headers.get('location') ?? '')
        assert.equal(location.protocol, 'https:')
        assert.equal(location.port, httpsPort)
        assert.equal(location.pathname, path)
      }
    })
  })
}
