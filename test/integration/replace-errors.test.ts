import assert from 'node:assert/strict'
import { request } from 'node:https'
import { after, before, describe, it } from 'node:test'
import { testBackends } from '../helpers/backends.js'
import { makeBomb, makeFakeVideo, makeJpeg, makeTruncatedJpeg } from '../helpers/images.js'
import { oauthSigner, signedParams } from '../helpers/oauth-client.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { photoSnapshot } from '../helpers/photo-state.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

const MB = 1024 * 1024

for (const backend of testBackends()) {
  describe(`replace errors leave the photo as it was (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let app: TestApp
    let write: { key: string; secret: string }
    let photoId: string
    const consumer = () => ({ key: app.apiKey, secret: app.secret })

    before(async () => {
      server = await startTestServer({
        backend,
        config: {
          maxUploadBytes: 3 * MB,
          plans: {
            free: { maxPhotos: 1000, maxFileBytes: 200 * MB, monthlyBytes: 300 * MB, maxNonPublic: 50 },
            pro: { maxPhotos: null, maxFileBytes: 2 * MB, monthlyBytes: null, maxNonPublic: null },
          },
        },
      })
      ;({ user: alice, app, token: write } = await server.createUploader())
      const upload = await photoCall({
        url: `${server.url}/services/upload/`,
        fields: { title: 'Keep me' },
        file: { data: await makeJpeg({ width: 640, height: 480, seed: 1 }) },
        consumer: consumer(),
        token: write,
        dispatcher: server.dispatcher,
      })
      photoId = parsePhotoResponse(upload.body).id!
      assert.ok(photoId, upload.body)
    })
    after(() => server.close())

    async function replaceWith(file: Buffer | undefined, options: { token?: { key: string; secret: string }; photoId?: string; fields?: Record<string, string> } = {}) {
      const result = await photoCall({
        url: `${server.url}/services/replace/`,
        fields: { photo_id: options.photoId ?? photoId, ...options.fields },
        file: file === undefined ? undefined : { data: file, filename: 'photo.jpg', contentType: 'image/jpeg' },
        consumer: consumer(),
        token: options.token ?? write,
        dispatcher: server.dispatcher,
      })
      assert.equal(result.status, 200)
      return result.body
    }

    async function expectFailure(code: number, msg: string, attempt: () => Promise<string>) {
      const before = await photoSnapshot(server, photoId)
      const body = await attempt()
      assert.equal(body, `<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="fail">\n\t<err code="${code}" msg="${msg}" />\n</rsp>\n`)
      assert.deepEqual(await photoSnapshot(server, photoId), before, 'the photo is exactly as it was')
    }

    it('1: a free account may not replace', async () => {
      const bob = await server.createUser('bob-free', { pro: false })
      const bobToken = await server.createToken(bob, app, 'write')
      await expectFailure(1, 'Not a pro account', () => replaceWith(Buffer.from('x'), { token: { key: bobToken.token, secret: bobToken.secret } }))
    })
    it('2: no photo part', () => expectFailure(2, 'No photo specified', () => replaceWith(undefined)))
    it('3: a corrupt (truncated) JPEG', async () => {
      const truncated = await makeTruncatedJpeg()
      await expectFailure(3, 'General upload failure', () => replaceWith(truncated))
    })
    // Refused from its header, not by decoding; how fast is for a benchmark to measure, not for a test to assert.
    it('3: a decompression bomb (40000×40000 PNG, over maxInputPixels) is refused', async () => {
      const bomb = await makeBomb({ format: 'png', width: 40000, height: 40000 })
      await expectFailure(3, 'General upload failure', () => replaceWith(bomb))
    })
    it('3: a multipart body cut short', () => expectFailure(3, 'General upload failure', () => rawCutMultipart()))
    it('4: zero bytes', () => expectFailure(4, 'Filesize was zero', () => replaceWith(Buffer.alloc(0))))
    it('5: not an image, whatever its name and declared type', () =>
      expectFailure(5, 'Filetype was not recognised', () => replaceWith(Buffer.from('this is plain text, not a JPEG\n'.repeat(20)))))
    it('8: a video cannot replace a photo', () => expectFailure(8, "Videos can't be replaced", () => replaceWith(makeFakeVideo('mp4'))))
    it('6: over the plan per-file limit', async () => {
      const big = Buffer.concat([await makeJpeg({ width: 64, height: 64 }), Buffer.alloc(Math.floor(2.5 * MB))])
      await expectFailure(6, 'Upload limit reached', () => replaceWith(big))
    })
    it('6: over the server-wide cap, cut off mid-stream', async () => {
      const huge = Buffer.concat([await makeJpeg({ width: 64, height: 64 }), Buffer.alloc(8 * MB)])
      await expectFailure(6, 'Upload limit reached', () => replaceWith(huge))
    })
    it("7: a photo that does not exist, or is not the caller's", async () => {
      const jpeg = await makeJpeg({ width: 100, height: 100, seed: 3 })
      await expectFailure(7, 'Photo not found', () => replaceWith(jpeg, { photoId: '99999999999' }))
      const carol = await server.createUser('carol', { pro: true })
      const carolToken = await server.createToken(carol, app, 'write')
      await expectFailure(7, 'Photo not found', () => replaceWith(jpeg, { token: { key: carolToken.token, secret: carolToken.secret } }))
    })
    it('96: a bad signature; 98: an unknown token; 99: a read token', async () => {
      const jpeg = await makeJpeg({ width: 100, height: 100, seed: 3 })
      await expectFailure(98, 'Invalid auth token', () => replaceWith(jpeg, { token: { key: '72157000000000000-0000000000000000', secret: 'x' } }))
      const read = await server.createToken(alice, app, 'read')
      await expectFailure(99, 'Insufficient permissions. Method requires write privileges; read granted.', () =>
        replaceWith(jpeg, { token: { key: read.token, secret: read.secret } }),
      )
      await expectFailure(96, 'Invalid signature', async () => {
        const result = await photoCall({
          url: `${server.url}/services/replace/`,
          fields: { photo_id: photoId },
          file: { data: jpeg },
          consumer: consumer(),
          token: write,
          dispatcher: server.dispatcher,
          mangleSignature: true,
        })
        return result.body
      })
    })
    it('105: maintenance mode; 116: a blocklisted URL in a field', async () => {
      const jpeg = await makeJpeg({ width: 100, height: 100, seed: 3 })
      const settings = server.running.services.settings
      await settings.setReadOnly(true)
      try {
        await expectFailure(105, 'Service currently unavailable', () => replaceWith(jpeg))
      } finally {
        await settings.setReadOnly(false)
      }
      await settings.blockHost('spam.example')
      await expectFailure(116, 'Bad URL found', () => replaceWith(jpeg, { fields: { title: 'see https://www.spam.example/x' } }))
    })
    it('still replaces fine afterwards', async () => {
      const body = await replaceWith(await makeJpeg({ width: 320, height: 240, seed: 9 }))
      assert.equal(parsePhotoResponse(body).id, photoId, body)
    })

    /** A multipart body whose closing boundary never comes (Content-Length matches what is sent). */
    function rawCutMultipart(): Promise<string> {
      const url = new URL(`${server.url}/services/replace/`)
      const fields = { photo_id: photoId }
      const oauth = signedParams({ method: 'POST', url: url.toString(), params: fields, consumer: consumer(), token: write })
      const boundary = 'cutcutcut'
      const body = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo_id"\r\n\r\n${photoId}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\n\xff\xd8\xff\xe0partial`,
        'latin1',
      )
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            ca: server.ca,
            headers: {
              'content-type': `multipart/form-data; boundary=${boundary}`,
              'content-length': body.length,
              authorization: oauthSigner(consumer()).toHeader(oauth as never).Authorization,
            },
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
          },
        )
        req.on('error', reject)
        req.end(body)
      })
    }
  })
}
