import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg, writeTemp } from '../helpers/images.js'
import { startTestServer, type TestApp, type TestServer } from '../helpers/start-server.js'

// npm's flickr-sdk 7, unmodified, through the existing driver: after an upload, setDates, setPerms,
// licenses.setLicense and geo.setLocation (POSTs, as the SDK sends write methods), each checked through
// photos.getInfo; and one error code as the SDK surfaces it.

const run = promisify(execFile)
const DRIVER = fileURLToPath(new URL('./drivers/flickr-sdk-driver.mjs', import.meta.url))

type Out = { ok: true; result: Record<string, any> } | { ok: false; message: string; code: number | null } // eslint-disable-line @typescript-eslint/no-explicit-any

for (const backend of testBackends()) {
  describe(`flickr-sdk 7 photo fields (${backend.name})`, () => {
    let server: TestServer
    let app: TestApp
    let token: { token: string; secret: string }
    let photoId: string

    async function sdk(env: Record<string, string>): Promise<Out> {
      const { stdout } = await run(process.execPath, [DRIVER], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          NODE_EXTRA_CA_CERTS: server.caFile,
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
    const call = async (method: string, params: Record<string, string>) => {
      const out = await sdk({ MODE: 'call', METHOD: method, PARAMS: JSON.stringify(params) })
      assert.ok(out.ok, JSON.stringify(out))
      return out.result
    }
    const info = async () => (await call('flickr.photos.getInfo', { photo_id: photoId })).photo

    before(async () => {
      server = await startTestServer({ backend })
      const user = await server.createUser('alice', { pro: true })
      app = await server.createApp('alice', 'flickr-sdk fields')
      token = await server.createToken(user, app, 'write')
      const file = writeTemp(await makeJpeg({ width: 64, height: 48, seed: 51 }), 'sdk-fields.jpg')
      const out = await sdk({ MODE: 'upload', FILE: file, TITLE: 'Fields' })
      assert.ok(out.ok, JSON.stringify(out))
      photoId = String(out.result.id)
    })
    after(() => server.close())

    it('setDates, then getInfo shows the dates', async () => {
      assert.equal((await call('flickr.photos.setDates', { photo_id: photoId, date_posted: '1500000000', date_taken: '1912-01-01 00:00:00', date_taken_granularity: '8' })).stat, 'ok')
      const { dates } = await info()
      assert.deepEqual([dates.posted, dates.taken, dates.takengranularity], ['1500000000', '1912-01-01 00:00:00', '8'])
    })

    it('setPerms, then getInfo shows the visibility and permissions', async () => {
      const answer = await call('flickr.photos.setPerms', { photo_id: photoId, is_public: '0', is_friend: '1', is_family: '0', perm_comment: '1', perm_addmeta: '0' })
      assert.equal(answer.photoid._content, photoId)
      const photo = await info()
      assert.deepEqual(photo.visibility, { ispublic: 0, isfriend: 1, isfamily: 0 })
      assert.deepEqual((await call('flickr.photos.getPerms', { photo_id: photoId })).perms.permcomment, 1)
    })

    it('licenses.setLicense, then getInfo shows the licence; an unknown licence is FlickrError 2', async () => {
      assert.equal((await call('flickr.photos.licenses.setLicense', { photo_id: photoId, license_id: '9' })).stat, 'ok')
      assert.equal((await info()).license, '9')
      const bad = await sdk({ MODE: 'call', METHOD: 'flickr.photos.licenses.setLicense', PARAMS: JSON.stringify({ photo_id: photoId, license_id: '77' }) })
      assert.deepEqual([bad.ok, !bad.ok && bad.code], [false, 2])
    })

    it('geo.setLocation, then getInfo shows the location', async () => {
      assert.equal((await call('flickr.photos.geo.setLocation', { photo_id: photoId, lat: '48.858844', lon: '2.294351', accuracy: '16', context: '2' })).stat, 'ok')
      assert.deepEqual((await info()).location, { latitude: '48.858844', longitude: '2.294351', accuracy: '16', context: 2 })
    })
  })
}
