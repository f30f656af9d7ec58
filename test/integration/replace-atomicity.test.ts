import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sweepBlobGarbage } from '../../src/domain/photos/blob-sweeper.js'
import { readAll } from '../contract/blob-store.contract.js'
import { testSetups } from '../helpers/backends.js'
import { assertLooksLike } from '../helpers/image-fingerprint.js'
import { makeJpeg } from '../helpers/images.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { orphanedBlobs, photoSnapshot } from '../helpers/photo-state.js'
import { startTestServer, type TestApp, type TestServer } from '../helpers/start-server.js'

const STEPS = ['before-render', 'sizes-stored', 'original-stored', 'before-commit', 'after-commit'] as const

for (const { name, backend, blobStore } of testSetups()) {
  describe(`replace is atomic (${name})`, () => {
    let server: TestServer
    let app: TestApp
    let write: { key: string; secret: string }
    let failAt: string | null = null
    const oldImage = () => makeJpeg({ width: 1100, height: 800, seed: 11 })
    const newImage = () => makeJpeg({ width: 900, height: 1200, seed: 22 })

    before(async () => {
      server = await startTestServer({
        backend,
        blobStore,
        faults: (step) => {
          if (step === failAt) throw new Error(`injected fault at ${step}`)
        },
      })
      ;({ app, token: write } = await server.createUploader())
    })
    after(() => server.close())

    const call = async (kind: 'upload' | 'replace', data: Buffer, fields: Record<string, string> = {}) =>
      parsePhotoResponse(
        (
          await photoCall({
            url: `${server.url}/services/${kind}/`,
            fields,
            file: { data },
            consumer: { key: app.apiKey, secret: app.secret },
            token: write,
            dispatcher: server.dispatcher,
          })
        ).body,
      )

    /** After the cleanup pass nothing is left but the current revision's files. */
    async function assertNoOrphans(photoId: string) {
      await sweepBlobGarbage(server.running.services, server.running.services.clock() + 7200)
      assert.deepEqual(await orphanedBlobs(server, photoId), [])
    }

    async function assertEveryFileLooksLike(photoId: string, expected: Buffer, old: Buffer) {
      const services = server.running.services
      const photo = (await services.photos.byId(photoId))!
      for (const file of await services.photos.files(photoId, photo.revision)) {
        const bytes = await readAll(await services.blobs.get(file.blobKey))
        await assertLooksLike(bytes, expected, old, { square: file.suffix === 's' || file.suffix === 'q', message: `size ${file.suffix || 'medium'}` })
      }
    }

    for (const step of STEPS) {
      it(`a fault at "${step}" leaves the photo entirely old or entirely new, and no orphan`, async () => {
        const [oldBytes, newBytes] = [await oldImage(), await newImage()]
        const { id } = await call('upload', oldBytes, { title: 'atomic' })
        assert.ok(id)
        const before = await photoSnapshot(server, id)
        failAt = step
        const answer = await call('replace', newBytes, { photo_id: id })
        failAt = null
        assert.equal(answer.errCode, 3, JSON.stringify(answer))
        const afterFault = await photoSnapshot(server, id)
        if (step === 'after-commit') {
          assert.notEqual(afterFault.photo.secret, before.photo.secret)
          assert.equal(afterFault.bytes.o, newBytes.toString('base64'), 'the original is kept byte for byte')
          await assertEveryFileLooksLike(id, newBytes, oldBytes)
        } else {
          assert.deepEqual(afterFault, before)
        }
        await assertNoOrphans(id)
        assert.deepEqual(await photoSnapshot(server, id), afterFault, 'the sweep never touches live files')
      })
    }

    it('two racing replaces end with one of them entirely in place', async () => {
      const oldBytes = await oldImage()
      const { id } = await call('upload', oldBytes)
      const a = await makeJpeg({ width: 1000, height: 700, seed: 31 })
      const b = await makeJpeg({ width: 700, height: 1000, seed: 32 })
      const answers = await Promise.all([call('replace', a, { photo_id: id! }), call('replace', b, { photo_id: id! })])
      for (const answer of answers) assert.equal(answer.id, id, JSON.stringify(answer))
      const final = await photoSnapshot(server, id!)
      const winner = final.bytes.o === a.toString('base64') ? a : b
      assert.ok(final.bytes.o === a.toString('base64') || final.bytes.o === b.toString('base64'))
      assert.equal(new Set(final.files.map((key) => key.split('/')[2])).size, 1, 'every file from one generation')
      await assertEveryFileLooksLike(id!, winner, winner === a ? b : a)
      const winnerAnswer = answers.find((answer) => answer.secret === final.photo.secret)
      assert.ok(winnerAnswer, 'the final secret is the one a replace answered with')
      await assertNoOrphans(id!)
    })
  })
}
