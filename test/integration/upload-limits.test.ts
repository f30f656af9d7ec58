import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg } from '../helpers/images.js'
import { signedCall } from '../helpers/oauth-client.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { startTestServer, type TestApp, type TestServer } from '../helpers/start-server.js'

const MB = 1024 * 1024

for (const backend of testBackends()) {
  describe(`upload: plan limits, EXIF date taken, real usage in getUploadStatus (${backend.name})`, () => {
    let server: TestServer
    let app: TestApp
    const tokens: Record<string, { key: string; secret: string }> = {}

    before(async () => {
      server = await startTestServer({
        backend,
        config: {
          plans: {
            free: { maxPhotos: 3, maxFileBytes: 200 * MB, monthlyBytes: 1 * MB, maxNonPublic: 1 },
            pro: { maxPhotos: null, maxFileBytes: 200 * MB, monthlyBytes: null, maxNonPublic: null },
          },
        },
      })
      const owner = await server.createUser('owner', { pro: true })
      app = await server.createApp('owner')
      for (const name of ['free1', 'free2', 'free3']) {
        const user = await server.createUser(name, { pro: false })
        const token = await server.createToken(user, app, 'write')
        tokens[name] = { key: token.token, secret: token.secret }
      }
      const token = await server.createToken(owner, app, 'write')
      tokens.owner = { key: token.token, secret: token.secret }
    })
    after(() => server.close())

    const upload = async (who: string, data: Buffer, fields: Record<string, string> = {}) =>
      parsePhotoResponse(
        (
          await photoCall({
            url: `${server.url}/services/upload/`,
            fields,
            file: { data },
            consumer: { key: app.apiKey, secret: app.secret },
            token: tokens[who],
            dispatcher: server.dispatcher,
          })
        ).body,
      )

    const uploadStatus = async (who: string) => {
      const result = await signedCall({
        method: 'GET',
        url: `${server.url}/services/rest`,
        params: { method: 'flickr.people.getUploadStatus', format: 'json', nojsoncallback: '1' },
        consumer: { key: app.apiKey, secret: app.secret },
        token: tokens[who],
        placement: 'query',
        dispatcher: server.dispatcher,
      })
      return JSON.parse(result.body).user as { ispro: number; bandwidth: Record<string, number>; filesize: Record<string, number> }
    }

    it('a free account may hold maxPhotos photos; the next upload is 6', async () => {
      for (let i = 0; i < 3; i++) assert.ok((await upload('free1', await makeJpeg({ width: 64, height: 64, seed: i }))).id)
      const refused = await upload('free1', await makeJpeg({ width: 64, height: 64, seed: 9 }))
      assert.deepEqual([refused.errCode, refused.errMsg], [6, 'Upload limit reached'])
    })

    it('monthly bytes are counted; past them the upload is 6', async () => {
      const big = Buffer.concat([await makeJpeg({ width: 64, height: 64 }), Buffer.alloc(600 * 1024)])
      assert.ok((await upload('free2', big)).id)
      assert.equal((await upload('free2', big)).errCode, 6)
      const status = await uploadStatus('free2')
      assert.equal(status.ispro, 0)
      assert.equal(status.bandwidth.usedbytes, big.length)
      assert.equal(status.bandwidth.maxbytes, 1 * MB)
      assert.equal(status.bandwidth.remainingbytes, 1 * MB - big.length)
      assert.equal(status.bandwidth.unlimited, 0)
    })

    it('a free account may hold maxNonPublic non-public photos', async () => {
      assert.ok((await upload('free3', await makeJpeg({ width: 64, height: 64 }), { is_public: '0' })).id)
      assert.equal((await upload('free3', await makeJpeg({ width: 64, height: 64 }), { is_public: '0' })).errCode, 6)
      assert.ok((await upload('free3', await makeJpeg({ width: 64, height: 64 }), { is_public: '1' })).id, 'public ones still go in')
    })

    it('date taken comes from EXIF (granularity 0), else the upload time; pro usage is reported with unlimited="1"', async () => {
      const withExif = await upload('owner', await makeJpeg({ width: 200, height: 100, exifDate: '2019:07:14 09:30:05' }))
      const without = await upload('owner', await makeJpeg({ width: 200, height: 100 }))
      const services = server.running.services
      const taken = (await services.photos.byId(withExif.id!))!
      assert.deepEqual([taken.dateTaken, taken.dateTakenGranularity], ['2019-07-14 09:30:05', 0])
      const posted = (await services.photos.byId(without.id!))!
      assert.equal(posted.dateTaken, new Date(posted.datePosted * 1000).toISOString().slice(0, 19).replace('T', ' '))
      const status = await uploadStatus('owner')
      assert.equal(status.ispro, 1)
      assert.equal(status.bandwidth.unlimited, 1)
      assert.equal(status.bandwidth.usedbytes, taken.originalBytes + posted.originalBytes)
      assert.equal(status.filesize.maxbytes, 200 * MB)
    })
  })
}
