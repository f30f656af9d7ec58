import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg, writeTemp } from '../helpers/images.js'
import { startTestServer, type TestApp, type TestServer } from '../helpers/start-server.js'

// npm's flickr-sdk 7, unmodified, through its generic flickr(method, params) call (clients.md §b): the
// album round trip an uploader makes, in JSON (POST multipart for writes, GET for reads), with
// addPhoto's codes 1, 2 and 3 surfacing as the SDK's error cause.

const run = promisify(execFile)
const DRIVER = fileURLToPath(new URL('./drivers/flickr-sdk-driver.mjs', import.meta.url))

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any
type Out = { ok: true; result: Json } | { ok: false; message: string; code: number | null }

for (const backend of testBackends()) {
  describe(`flickr-sdk 7 albums (${backend.name})`, () => {
    let server: TestServer
    let app: TestApp
    let token: { token: string; secret: string }

    async function sdk(env: Record<string, string>): Promise<Out> {
      const { stdout } = await run(process.execPath, [DRIVER], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          CA_FILE: server.caFile,
          BASE_URL: server.url,
          API_KEY: app.apiKey,
          API_SECRET: app.secret,
          OAUTH_TOKEN: token.token,
          OAUTH_TOKEN_SECRET: token.secret,
          ...env,
        },
        timeout: 30_000,
      })
      return JSON.parse(stdout.trim().split('\n').pop()!) as Out
    }
    const call = (method: string, params: Record<string, string> = {}) => sdk({ MODE: 'call', METHOD: method, PARAMS: JSON.stringify(params) })
    const result = (out: Out): Json => {
      assert.ok(out.ok, JSON.stringify(out))
      return out.result
    }

    before(async () => {
      server = await startTestServer({ backend })
      const uploader = await server.createUploader('alice')
      app = uploader.app
      token = { token: uploader.token.key, secret: uploader.token.secret }
    })
    after(() => server.close())

    it('upload, photosets.create, addPhoto, then getList/getPhotos/getInfo in JSON; 1, 2, 3 as error codes', async () => {
      const files = await Promise.all([41, 42].map(async (seed) => writeTemp(await makeJpeg({ width: 64, height: 48, seed }), `sdk-album-${seed}.jpg`)))
      const [first, second] = (await Promise.all(files.map((file, i) => sdk({ MODE: 'upload', FILE: file, TITLE: `SDK ${i}` })))).map((out) => String(result(out).id))
      const created = result(await call('flickr.photosets.create', { title: 'SDK set', description: 'via flickr-sdk', primary_photo_id: first! }))
      const setId = created.photoset.id
      assert.deepEqual(created, { photoset: { id: setId, url: `${server.url}/photos/${result(await call('flickr.test.login')).user.id}/albums/${setId}/` }, stat: 'ok' })
      assert.deepEqual(result(await call('flickr.photosets.addPhoto', { photoset_id: setId, photo_id: second! })), { stat: 'ok' })

      const failures = await Promise.all([
        call('flickr.photosets.addPhoto', { photoset_id: setId, photo_id: second! }),
        call('flickr.photosets.addPhoto', { photoset_id: '72157000000000000', photo_id: second! }),
        call('flickr.photosets.addPhoto', { photoset_id: setId, photo_id: '99999999999' }),
      ])
      assert.deepEqual(failures, [
        { ok: false, message: 'Photo already in set', code: 3, status: 200 },
        { ok: false, message: 'Photoset not found', code: 1, status: 200 },
        { ok: false, message: 'Photo not found', code: 2, status: 200 },
      ])

      const [list, photos, info] = (
        await Promise.all([
          call('flickr.photosets.getList', { per_page: '10', page: '1' }),
          call('flickr.photosets.getPhotos', { photoset_id: setId, extras: 'url_o,url_m,date_upload' }),
          call('flickr.photosets.getInfo', { photoset_id: setId }),
        ])
      ).map(result)
      const { photosets } = list
      assert.deepEqual([photosets.page, photosets.pages, photosets.perpage, photosets.total], [1, 1, 10, 1])
      assert.deepEqual([photosets.photoset[0].id, photosets.photoset[0].photos, photosets.photoset[0].title._content], [setId, 2, 'SDK set'])
      const { photoset } = photos
      assert.deepEqual([photoset.page, photoset.pages, photoset.perpage, photoset.per_page, photoset.total], [1, 1, 500, 500, 2])
      assert.deepEqual(photoset.photo.map((p: { id: string; isprimary: string }) => [p.id, p.isprimary]), [[first, '1'], [second, '0']])
      assert.match(photoset.photo[1].url_o, /_o\.jpg$/)
      assert.deepEqual([photoset.photo[1].width_o, photoset.photo[1].height_o], [64, 48])
      assert.deepEqual([info.photoset.count_photos, info.photoset.description._content], [2, 'via flickr-sdk'])
    })

    it('people.getLimits and getUploadStatus read as digiKam and Shotwell need them', async () => {
      const [limits, status] = (await Promise.all([call('flickr.people.getLimits'), sdk({ MODE: 'uploadStatus' })])).map(result)
      assert.equal(limits.person.videos.maxupload, String(200 * 1024 * 1024))
      assert.equal(limits.person.photos.maxupload, String(200 * 1024 * 1024))
      assert.deepEqual([status.user.ispro, typeof status.user.upload_limit, typeof status.user.upload_count], [1, 'number', 'number'])
      assert.equal(typeof status.user.videosize.maxkb, 'number')
    })
  })
}
