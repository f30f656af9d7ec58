import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { readAll } from '../contract/blob-store.contract.js'
import { testBackends } from '../helpers/backends.js'
import { assertLooksLike } from '../helpers/image-fingerprint.js'
import { makeFakeVideo, makeJpeg, writeTemp } from '../helpers/images.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { photoSnapshot } from '../helpers/photo-state.js'
import { waitFor } from '../helpers/poll.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// npm's flickr-sdk 7, unmodified, through the existing driver: what flickr-sdk.test.ts leaves out —
// the stored metadata and pixels after upload/replace, the upload/replace error codes (read from the
// raw body: the SDK does not expose them), and checkTickets on a real async ticket (clients.md §b).

const run = promisify(execFile)
const DRIVER = fileURLToPath(new URL('./drivers/flickr-sdk-driver.mjs', import.meta.url))

type DriverOutput =
  | { ok: true; result: Record<string, unknown> }
  | { ok: false; message: string; code: number | null; status: number | null; code_source?: string }

async function flickrSdk(server: TestServer, env: Record<string, string>): Promise<DriverOutput> {
  const { stdout } = await run(process.execPath, [DRIVER], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_EXTRA_CA_CERTS: server.caFile, CA_FILE: server.caFile, BASE_URL: server.url, ...env },
    timeout: 30_000,
  })
  return JSON.parse(stdout.trim().split('\n').pop()!) as DriverOutput
}

const square = (suffix: string) => suffix === 's' || suffix === 'q'

for (const backend of testBackends()) {
  describe(`flickr-sdk 7 photos (${backend.name})`, () => {
    let server: TestServer
    let app: TestApp
    let alice: TestUser
    const tokens: Record<string, { token: string; secret: string }> = {}
    const images: Record<string, { data: Buffer; file: string }> = {}

    const as = (name: string, extra: Record<string, string>) => ({
      API_KEY: app.apiKey,
      API_SECRET: app.secret,
      OAUTH_TOKEN: tokens[name]!.token,
      OAUTH_TOKEN_SECRET: tokens[name]!.secret,
      ...extra,
    })

    async function uploadAsAlice(image: string, title: string): Promise<string> {
      const out = await flickrSdk(server, as('alice', { MODE: 'upload', FILE: images[image]!.file, TITLE: title }))
      assert.ok(out.ok, JSON.stringify(out))
      return String(out.result.id)
    }

    async function storedFiles(photoId: string) {
      const services = server.running.services
      const photo = (await services.photos.byId(photoId))!
      const files = await services.photos.files(photoId, photo.revision)
      return Promise.all(files.map(async (file) => ({ suffix: file.suffix, data: await readAll(await services.blobs.get(file.blobKey)) })))
    }

    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUser('alice', { pro: true })
      const dave = await server.createUser('dave', { pro: false })
      app = await server.createApp('alice', 'flickr-sdk photos')
      tokens.alice = await server.createToken(alice, app, 'write')
      tokens.dave = await server.createToken(dave, app, 'write')
      for (const [name, seed] of Object.entries({ first: 21, second: 22, third: 23 })) {
        const data = await makeJpeg({ width: 640, height: 480, seed })
        images[name] = { data, file: writeTemp(data, `sdk-${name}.jpg`) }
      }
    })
    after(() => server.close())

    it('upload(title, tags, is_public) is stored as sent; replace() keeps id and metadata, changes secrets, and every size shows the new picture', async () => {
      const params = JSON.stringify({ tags: 'sdk "two words"', is_public: '0' })
      const uploaded = await flickrSdk(server, as('alice', { MODE: 'upload', FILE: images.first!.file, TITLE: 'SDK title', PARAMS: params }))
      assert.ok(uploaded.ok, JSON.stringify(uploaded))
      const id = String(uploaded.result.id)
      const stored = (await server.running.services.photos.byId(id))!
      assert.deepEqual([stored.ownerNsid, stored.title, stored.isPublic], [alice.nsid, 'SDK title', 0])
      assert.deepEqual((await server.running.services.photos.tags(id)).map((tag) => tag.raw), ['sdk', 'two words'])

      const replaced = await flickrSdk(server, as('alice', { MODE: 'replace', FILE: images.second!.file, PHOTO_ID: id }))
      assert.ok(replaced.ok, JSON.stringify(replaced))
      const after = (await server.running.services.photos.byId(id))!
      assert.deepEqual(replaced.result, { id, secret: after.secret, originalsecret: after.originalSecret })
      assert.notEqual(after.secret, stored.secret)
      assert.notEqual(after.originalSecret, stored.originalSecret)
      assert.deepEqual([after.title, after.isPublic], ['SDK title', 0])
      assert.deepEqual((await server.running.services.photos.tags(id)).map((tag) => tag.raw), ['sdk', 'two words'])
      const files = await storedFiles(id)
      assert.ok(files.length >= 5, `sizes stored: ${files.map((f) => f.suffix).join(',')}`)
      for (const file of files) {
        await assertLooksLike(file.data, images.second!.data, images.first!.data, { square: square(file.suffix), message: `size "${file.suffix}"` })
      }
    })

    it('upload/replace error codes, read from the raw body: 1 not pro, 5 not an image, 8 a video, 4 empty', async () => {
      const id = await uploadAsAlice('third', 'Target')
      const snapshot = await photoSnapshot(server, id)
      const text = writeTemp(Buffer.from('plain text, no picture here\n'), 'sdk-notes.txt')
      const video = writeTemp(makeFakeVideo('mov'), 'sdk-clip.mov')
      const empty = writeTemp(Buffer.alloc(0), 'sdk-empty.jpg')
      const outs = await Promise.all([
        flickrSdk(server, as('dave', { MODE: 'replace', FILE: images.first!.file, PHOTO_ID: id })),
        flickrSdk(server, as('alice', { MODE: 'upload', FILE: text })),
        flickrSdk(server, as('alice', { MODE: 'replace', FILE: text, PHOTO_ID: id })),
        flickrSdk(server, as('alice', { MODE: 'replace', FILE: video, PHOTO_ID: id })),
        flickrSdk(server, as('alice', { MODE: 'upload', FILE: empty })),
      ])
      const expected: [number, string][] = [
        [1, 'Not a pro account'],
        [5, 'Filetype was not recognised'],
        [5, 'Filetype was not recognised'],
        [8, "Videos can't be replaced"],
        [4, 'Filesize was zero'],
      ]
      // The SDK throws Error(err.msg) on a 200 stat="fail"; the driver found the code in the body.
      assert.deepEqual(outs, expected.map(([code, message]) => ({ ok: false, message, code, status: 200, code_source: 'raw-response' })))
      assert.deepEqual(await photoSnapshot(server, id), snapshot, 'no failed replace touched the photo')
    })

    it('flickr.photos.upload.checkTickets through the SDK: an async replace ticket ends complete 1 with the photo id', async () => {
      const id = await uploadAsAlice('first', 'Async via ticket')
      // flickr-sdk never sends async: the ticket comes from a direct, signed multipart call.
      const response = await photoCall({
        url: `${server.url}/services/replace/`,
        fields: { async: '1', photo_id: id },
        file: { data: images.third!.data, filename: 'third.jpg' },
        consumer: { key: app.apiKey, secret: app.secret },
        token: { key: tokens.alice!.token, secret: tokens.alice!.secret },
        dispatcher: server.dispatcher,
      })
      const { ticketId } = parsePhotoResponse(response.body)
      assert.match(ticketId ?? '', /^\d+-\d+$/, response.body)

      const checkThroughSdk = async () => {
        const out = await flickrSdk(server, as('alice', { MODE: 'checkTickets', TICKETS: ticketId! }))
        assert.ok(out.ok, JSON.stringify(out))
        assert.equal(out.result.stat, 'ok')
        const tickets = (out.result.uploader as { ticket: Record<string, unknown>[] }).ticket
        assert.equal(tickets.length, 1)
        return tickets[0]!
      }
      const ticket = await waitFor(checkThroughSdk, { until: (state) => state.complete !== 0, what: `ticket ${ticketId} to finish`, timeoutMs: 30_000, intervalMs: 100 })
      // JSON as Flickr sends it: complete a number, ids strings.
      assert.equal(ticket.id, ticketId)
      assert.equal(ticket.complete, 1, JSON.stringify(ticket))
      assert.equal(ticket.photoid, id)
      assert.match(String(ticket.imported), /^\d+$/)
      assert.equal((await server.running.services.photos.byId(id))!.title, 'Async via ticket')
      for (const file of await storedFiles(id)) {
        await assertLooksLike(file.data, images.third!.data, images.first!.data, { square: square(file.suffix), message: `size "${file.suffix}"` })
      }
    })
  })
}
