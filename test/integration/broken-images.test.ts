import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { GIF_TRAILER, JPEG_EOI, cutAndEnd, makeGrainyJpeg } from '../helpers/broken-images.js'
import { testBackends } from '../helpers/backends.js'
import { makeAnimatedGif, makeJpeg } from '../helpers/images.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { photoSnapshot } from '../helpers/photo-state.js'
import { startTestServer, type TestServer, type TestUploader } from '../helpers/start-server.js'
import { waitForTickets } from '../helpers/tickets.js'

// Issue 13, fault 5: a JPEG cut short with FF D9 appended used to be accepted and stored as mostly
// grey sizes. Every damaged file must fail the replace with 3 and leave the old photo untouched.
for (const backend of testBackends()) {
  describe(`replacing with a broken image keeps the old photo (${backend.name})`, () => {
    let server: TestServer
    let uploader: TestUploader
    let photoId: string
    let cutWithEoi: Buffer

    before(async () => {
      server = await startTestServer({ backend })
      uploader = await server.createUploader()
      const upload = await call('upload', await makeJpeg({ width: 640, height: 480, seed: 1 }), { title: 'Keep me' })
      photoId = upload.id!
      assert.ok(photoId, upload.body)
      cutWithEoi = cutAndEnd(await makeGrainyJpeg({ width: 1200, height: 900, seed: 2 }), 0.5, JPEG_EOI)
    })
    after(() => server.close())

    async function call(kind: 'upload' | 'replace', data: Buffer, fields: Record<string, string>) {
      const response = await photoCall({
        url: `${server.url}/services/${kind}/`,
        fields,
        file: { data, filename: 'photo.jpg', contentType: 'image/jpeg' },
        consumer: uploader.consumer,
        token: uploader.token,
        dispatcher: server.dispatcher,
      })
      assert.equal(response.status, 200)
      return { ...parsePhotoResponse(response.body), body: response.body }
    }

    /** The error code a replace ends with: at once, or through its ticket when it is async. */
    async function replaceOutcome(data: Buffer, async: boolean): Promise<number | undefined> {
      const replace = await call('replace', data, { photo_id: photoId, async: async ? '1' : '0' })
      if (replace.ticketId === undefined) return replace.errCode
      const [ticket] = await waitForTickets(server, uploader.app, [replace.ticketId])
      assert.equal(ticket!.complete, 2, 'the ticket failed')
      return ticket!.errorcode
    }

    const brokenFiles: [string, () => Buffer | Promise<Buffer>][] = [
      ['a JPEG cut at 50% with FF D9 appended', () => cutWithEoi],
      ['a JPEG cut at 50%', async () => cutAndEnd(await makeGrainyJpeg({ width: 1200, height: 900, seed: 3 }), 0.5)],
      ['a GIF cut at 60% with its trailer appended', async () => cutAndEnd(await makeAnimatedGif({ width: 320, height: 240 }, 3), 0.6, GIF_TRAILER)],
      ['SOI followed by 1 MiB of 0xFF fill', () => Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(1024 * 1024, 0xff)])],
    ]
    for (const [name, make] of brokenFiles) {
      for (const async of [false, true]) {
        it(`${name}, ${async ? 'async=1' : 'sync'}: code 3, row and bytes unchanged`, async () => {
          const before = await photoSnapshot(server, photoId)
          assert.equal(await replaceOutcome(await make(), async), 3)
          assert.deepEqual(await photoSnapshot(server, photoId), before, 'the photo is exactly as it was')
        })
      }
    }

    it('answers the sync replace with the documented error envelope', async () => {
      const replace = await call('replace', cutWithEoi, { photo_id: photoId })
      assert.equal(replace.body, '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="fail">\n\t<err code="3" msg="General upload failure" />\n</rsp>\n')
    })

    it('still replaces with the complete file afterwards', async () => {
      const before = await photoSnapshot(server, photoId)
      const replace = await call('replace', await makeGrainyJpeg({ width: 1200, height: 900, seed: 2 }), { photo_id: photoId })
      assert.equal(replace.id, photoId, replace.body)
      assert.notEqual((await photoSnapshot(server, photoId)).photo.secret, before.photo.secret)
    })
  })
}
