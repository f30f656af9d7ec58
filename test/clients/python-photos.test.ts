import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { basename } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { fetch } from 'undici'
import { readAll } from '../contract/blob-store.contract.js'
import { testBackends } from '../helpers/backends.js'
import { PYTHON, pythonClientMissing } from '../helpers/python-client.js'
import { assertLooksLike } from '../helpers/image-fingerprint.js'
import { makeFakeVideo, makeJpeg, writeTemp } from '../helpers/images.js'
import { photoSnapshot } from '../helpers/photo-state.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// Debian's python3-flickrapi 2.1.2, unmodified, uploads, replaces (sync and async), polls tickets and
// meets the upload/replace error codes through its own FlickrError (clients.md §a).

const run = promisify(execFile)
const DRIVER = fileURLToPath(new URL('./drivers/flickrapi_photos.py', import.meta.url))

const missing = pythonClientMissing()

type Op = Record<string, unknown> & { op: 'upload' | 'replace' | 'checkTickets' | 'getInfo' | 'getSizes' }
type Result = Record<string, unknown> & { ok: boolean }
type Size = { label: string; width: string; height: string; source: string }
type Ticket = Record<string, string>

const suffixOf = (source: string) => /_([a-z])\.[a-z]+$/.exec(source)?.[1] ?? ''

for (const backend of testBackends()) {
  describe(`python3-flickrapi photos (${backend.name})`, { skip: missing }, () => {
    let server: TestServer
    let app: TestApp
    let alice: TestUser
    const tokens: Record<string, [string, string]> = {}
    const images: Record<string, { data: Buffer; file: string }> = {}

    /** Runs the driver once with a list of operations; one result per operation, in order. */
    async function flickrapi(ops: Op[], as = 'alice'): Promise<Result[]> {
      const [token, secret] = tokens[as]!
      const { stdout } = await run(PYTHON, [DRIVER], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: '/nonexistent', // nothing is read from or written to anyone's ~/.flickr (store_token=False)
          BASE_URL: server.url,
          CA_FILE: server.caFile,
          API_KEY: app.apiKey,
          API_SECRET: app.secret,
          OAUTH_TOKEN: token,
          OAUTH_TOKEN_SECRET: secret,
          OPS: JSON.stringify(ops),
        },
        timeout: 60_000,
      })
      const results = stdout.trim().split('\n').map((line) => JSON.parse(line) as Result)
      assert.equal(results.length, ops.length, stdout)
      return results
    }

    /** Every stored file of the photo's current revision, with its bytes. */
    async function storedFiles(photoId: string) {
      const services = server.running.services
      const photo = (await services.photos.byId(photoId))!
      const files = await services.photos.files(photoId, photo.revision)
      return Promise.all(files.map(async (file) => ({ suffix: file.suffix, data: await readAll(await services.blobs.get(file.blobKey)) })))
    }

    const ok = (result: Result | undefined) => {
      assert.ok(result?.ok, `client error: ${JSON.stringify(result)}`)
      return result
    }

    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUser('alice', { pro: true })
      const bob = await server.createUser('bob', { pro: true })
      const carol = await server.createUser('carol', { pro: false })
      app = await server.createApp('alice', 'flickrapi photos')
      for (const [name, user] of Object.entries({ alice, bob, carol })) {
        const issued = await server.createToken(user, app, 'write')
        tokens[name] = [issued.token, issued.secret]
      }
      for (const [name, seed] of Object.entries({ first: 11, second: 12, third: 13, fourth: 14 })) {
        const data = await makeJpeg({ width: 640, height: 480, seed })
        images[name] = { data, file: writeTemp(data, `${name}.jpg`) }
      }
    })
    after(() => server.close())

    it('upload(title, tags, is_public) → photo id; replace() sync → same id, new secrets, every size the new picture, title kept', async () => {
      const [uploaded, info, sizesBefore, replaced, infoAfter, sizesAfter] = await flickrapi([
        { op: 'upload', file: images.first!.file, title: 'Harbour at dusk', tags: 'harbour "long exposure" boats', is_public: 0 },
        { op: 'getInfo', photo_id: '$0.photoid' },
        { op: 'getSizes', photo_id: '$0.photoid' },
        // flickrapi adds title=<basename> ("second.jpg") to the replace: Flickr ignores it, so must Retake.
        { op: 'replace', file: images.second!.file, photo_id: '$0.photoid' },
        { op: 'getInfo', photo_id: '$0.photoid' },
        { op: 'getSizes', photo_id: '$0.photoid' },
      ])
      const id = String(ok(uploaded).photoid)
      assert.match(id, /^\d+$/)
      assert.deepEqual(Object.keys(uploaded!).sort(), ['ok', 'photoid'], 'an upload answers a bare <photoid>')

      // Stored as sent, seen both in the database and through flickrapi's own getInfo.
      const stored = (await server.running.services.photos.byId(id))!
      assert.equal(stored.ownerNsid, alice.nsid)
      assert.equal(stored.title, 'Harbour at dusk')
      assert.equal(stored.isPublic, 0)
      const tags = await server.running.services.photos.tags(id)
      assert.deepEqual(tags.map((tag) => tag.raw), ['harbour', 'long exposure', 'boats'])
      ok(info)
      assert.equal(info!.title, 'Harbour at dusk')
      assert.equal(info!.ispublic, '0')
      assert.deepEqual(info!.tags, ['harbour', 'long exposure', 'boats'])

      // The <photoid secret originalsecret> answer, as the client parsed it.
      ok(replaced)
      assert.equal(replaced!.photoid, id)
      assert.match(String(replaced!.secret), /^[0-9a-f]{10}$/)
      assert.match(String(replaced!.originalsecret), /^[0-9a-f]{10}$/)
      assert.notEqual(replaced!.secret, info!.secret)
      assert.notEqual(replaced!.originalsecret, info!.originalsecret)
      const after = (await server.running.services.photos.byId(id))!
      assert.deepEqual([after.secret, after.originalSecret], [replaced!.secret, replaced!.originalsecret])

      ok(infoAfter)
      assert.equal(infoAfter!.secret, replaced!.secret)
      assert.equal(infoAfter!.title, 'Harbour at dusk', `the title flickrapi sent with the replace (${basename(images.second!.file)}) is ignored`)
      assert.deepEqual(infoAfter!.tags, info!.tags)
      assert.equal(infoAfter!.ispublic, '0')

      // Every stored file now looks like the new picture and not the old one.
      const files = await storedFiles(id)
      assert.ok(files.length >= 5, `sizes stored: ${files.map((f) => f.suffix).join(',')}`)
      for (const file of files) {
        const square = file.suffix === 's' || file.suffix === 'q'
        await assertLooksLike(file.data, images.second!.data, images.first!.data, { square, message: `stored size "${file.suffix}"` })
      }

      // The same through the static URLs flickrapi's getSizes gives: new ones serve the new picture,
      // the old ones stop working (reference §7).
      const oldSizes = ok(sizesBefore).sizes as Size[]
      const newSizes = ok(sizesAfter).sizes as Size[]
      assert.deepEqual(newSizes.map((s) => s.label), oldSizes.map((s) => s.label))
      assert.equal(newSizes.at(-1)!.label, 'Original')
      for (const size of newSizes) {
        const response = await fetch(size.source, { dispatcher: server.dispatcher })
        assert.equal(response.status, 200, size.source)
        const square = ['s', 'q'].includes(suffixOf(size.source))
        await assertLooksLike(Buffer.from(await response.arrayBuffer()), images.second!.data, images.first!.data, { square, message: `${size.label} at ${size.source}` })
      }
      for (const size of oldSizes) {
        const response = await fetch(size.source, { dispatcher: server.dispatcher })
        await response.arrayBuffer()
        assert.equal(response.status, 404, `old URL ${size.source} still answers`)
      }
    })

    it('error codes arrive as flickrapi FlickrError with .code: 1 not pro, 7 not yours/missing, 5 not an image, 8 a video, 4 empty', async () => {
      const [own] = await flickrapi([{ op: 'upload', file: images.third!.file, title: 'Mine' }])
      const id = String(ok(own).photoid)
      const snapshot = await photoSnapshot(server, id)
      const text = writeTemp(Buffer.from('just some text, not a picture\n'), 'notes.txt')
      const video = writeTemp(makeFakeVideo('mp4'), 'clip.mp4')
      const empty = writeTemp(Buffer.alloc(0), 'empty.jpg')

      const results = await flickrapi([
        { op: 'replace', file: images.fourth!.file, photo_id: id, token: tokens.carol }, // free account
        { op: 'replace', file: images.fourth!.file, photo_id: id, token: tokens.bob }, // someone else's photo
        { op: 'replace', file: images.fourth!.file, photo_id: '999999999999' }, // no such photo
        { op: 'upload', file: text },
        { op: 'replace', file: text, photo_id: id },
        { op: 'replace', file: video, photo_id: id },
        { op: 'upload', file: empty },
        { op: 'replace', file: empty, photo_id: id },
      ])
      const expected: [number, string][] = [
        [1, 'Not a pro account'],
        [7, 'Photo not found'],
        [7, 'Photo not found'],
        [5, 'Filetype was not recognised'],
        [5, 'Filetype was not recognised'],
        [8, "Videos can't be replaced"],
        [4, 'Filesize was zero'],
        [4, 'Filesize was zero'],
      ]
      assert.deepEqual(
        results.map((r) => [r.ok, r.type, r.code, r.error]),
        expected.map(([code, msg]) => [false, 'FlickrError', code, `Error: ${code}: ${msg}`]),
      )
      assert.deepEqual(await photoSnapshot(server, id), snapshot, 'no failed replace touched the photo')
    })

    it('async: replace(…, async=1) → ticketid; checkTickets polled by flickrapi ends complete=1 with the replaced id', async () => {
      const [uploaded, ticket, polled, info, asyncUpload, asyncPolled] = await flickrapi([
        { op: 'upload', file: images.first!.file, title: 'Async target', tags: 'kept' },
        { op: 'replace', file: images.third!.file, photo_id: '$0.photoid', async: true },
        { op: 'checkTickets', tickets: '$1.ticketid', wait: true },
        { op: 'getInfo', photo_id: '$0.photoid' },
        { op: 'upload', file: images.fourth!.file, title: 'Async upload', async: true },
        { op: 'checkTickets', tickets: '$4.ticketid', wait: true },
      ])
      const id = String(ok(uploaded).photoid)
      assert.deepEqual(Object.keys(ok(ticket)!).sort(), ['ok', 'ticketid'])
      const ticketId = String(ticket!.ticketid)
      assert.match(ticketId, /^\d+-\d+$/)

      const [state] = ok(polled).tickets as Ticket[]
      assert.equal(state!.id, ticketId)
      assert.equal(state!.complete, '1', JSON.stringify(state))
      assert.equal(state!.photoid, id, 'the ticket names the replaced photo')
      assert.match(state!.imported ?? '', /^\d+$/)

      ok(info)
      assert.equal(info!.title, 'Async target')
      assert.deepEqual(info!.tags, ['kept'])
      for (const file of await storedFiles(id)) {
        const square = file.suffix === 's' || file.suffix === 'q'
        await assertLooksLike(file.data, images.third!.data, images.first!.data, { square, message: `size "${file.suffix}" after the async replace` })
      }

      // An async upload the same way: the ticket's photoid is the new photo.
      const [uploadState] = ok(asyncPolled).tickets as Ticket[]
      assert.equal(uploadState!.id, ok(asyncUpload).ticketid)
      assert.equal(uploadState!.complete, '1', JSON.stringify(uploadState))
      const created = (await server.running.services.photos.byId(uploadState!.photoid!))!
      assert.equal(created.title, 'Async upload')
      assert.equal(created.ownerNsid, alice.nsid)
    })
  })
}
