import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { testSetups } from '../helpers/backends.js'
import { makeFakeVideo, makeJpeg } from '../helpers/images.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { orphanedBlobs, photoSnapshot } from '../helpers/photo-state.js'
import { startTestServer, type TestApp, type TestServer } from '../helpers/start-server.js'
import { checkTickets, waitForTickets } from '../helpers/tickets.js'
import { sweepBlobGarbage } from '../../src/domain/photos/blob-sweeper.js'
import { FlickrError } from '../../src/errors/flickr-error.js'
import { uploadErrors } from '../../src/errors/catalogue.js'

for (const { name, backend, blobStore } of testSetups()) {
  describe(`async upload and replace (${name})`, () => {
    let server: TestServer
    let app: TestApp
    let write: { key: string; secret: string }
    let failAt: string | null = null

    before(async () => {
      server = await startTestServer({
        backend,
        blobStore,
        faults: (step) => {
          // A Flickr error fails the job at once (a plain Error would be retried with backoff first).
          if (step === failAt) throw new FlickrError(uploadErrors.generalFailure, { cause: new Error(`injected fault at ${step}`) })
        },
      })
      ;({ app, token: write } = await server.createUploader())
    })
    after(() => server.close())

    const call = async (kind: 'upload' | 'replace', data: Buffer, fields: Record<string, string>) => {
      const response = await photoCall({
        url: `${server.url}/services/${kind}/`,
        fields,
        file: { data },
        consumer: { key: app.apiKey, secret: app.secret },
        token: write,
        dispatcher: server.dispatcher,
      })
      return { ...parsePhotoResponse(response.body), body: response.body }
    }

    it('answers a ticket at once and completes it with the photo id; checkTickets keeps order and flags unknown ids', async () => {
      const upload = await call('upload', await makeJpeg({ width: 1200, height: 900, seed: 1 }), { async: '1', title: 'async one' })
      assert.match(upload.body, /^<\?xml version="1.0" encoding="utf-8" \?>\n<rsp stat="ok">\n<ticketid>\d+-\d+<\/ticketid>\n<\/rsp>\n$/)
      const [done] = await waitForTickets(server, app, [upload.ticketId!])
      assert.equal(done!.complete, 1)
      assert.match(done!.photoid!, /^\d+$/)
      assert.match(done!.imported!, /^\d+$/)
      const photoId = done!.photoid!
      const before = await photoSnapshot(server, photoId)

      const replace = await call('replace', await makeJpeg({ width: 900, height: 1200, seed: 2 }), { async: '1', photo_id: photoId })
      const [replaced] = await waitForTickets(server, app, [replace.ticketId!])
      assert.equal(replaced!.complete, 1)
      assert.equal(replaced!.photoid, photoId, 'a replace ticket names the replaced photo')
      const after = await photoSnapshot(server, photoId)
      assert.notEqual(after.photo.secret, before.photo.secret)
      assert.equal(after.photo.title, 'async one')

      const states = await checkTickets(server, app, ['1-2', replace.ticketId!, upload.ticketId!, 'nope'])
      assert.deepEqual(states.map((state) => [state.id, state.complete ?? null, state.invalid ?? null]), [
        ['1-2', null, 1],
        [replace.ticketId!, 1, null],
        [upload.ticketId!, 1, null],
        ['nope', null, 1],
      ])
      // flickcurl sends a trailing comma and reads ids with atoi (the digits before '-').
      const prefix = replace.ticketId!.split('-')[0]!
      const flickcurl = await checkTickets(server, app, [prefix, ''])
      assert.equal(flickcurl[0]!.id, prefix)
      assert.equal(flickcurl[0]!.complete, 1)
    })

    it('cheap checks still answer at once: a video replace is 8, no ticket', async () => {
      const { photoid } = (await waitForTickets(server, app, [(await call('upload', await makeJpeg({ seed: 3 }), { async: '1' })).ticketId!]))[0]!
      const video = await call('replace', makeFakeVideo('mp4'), { async: '1', photo_id: photoid! })
      assert.equal(video.errCode, 8)
    })

    it('a failed async replace ends complete="2" with its cause and leaves the photo exactly as it was', async () => {
      const { photoid } = (await waitForTickets(server, app, [(await call('upload', await makeJpeg({ seed: 4 }), { async: '1' })).ticketId!]))[0]!
      const before = await photoSnapshot(server, photoid!)
      failAt = 'before-commit'
      try {
        const replace = await call('replace', await makeJpeg({ seed: 5 }), { async: '1', photo_id: photoid! })
        const [failed] = await waitForTickets(server, app, [replace.ticketId!])
        assert.equal(failed!.complete, 2)
        assert.equal(failed!.errorcode, 3)
      } finally {
        failAt = null
      }
      assert.deepEqual(await photoSnapshot(server, photoid!), before)
      await sweepBlobGarbage(server.running.services, server.running.services.clock() + 7200)
      assert.deepEqual(await orphanedBlobs(server, photoid!), [])
      assert.deepEqual(readdirSync(server.running.services.stagingDir), [], 'staged files are removed once their job ends')
    })

    it('checkTickets needs no signature, as on Flickr', async () => {
      const response = await fetch(`${server.url}/services/rest/?method=flickr.photos.upload.checkTickets&api_key=${app.apiKey}&tickets=1-1`, { dispatcher: server.dispatcher })
      assert.equal(await response.text(), '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<uploader>\n\t<ticket id="1-1" invalid="1" />\n</uploader>\n</rsp>\n')
    })
  })
}
