import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { loadConfig } from '../../src/config/load.js'
import { createServices } from '../../src/create-services.js'
import { createApp, createUser, issueAccessToken } from '../../src/domain/accounts/account-service.js'
import { stageUpload } from '../../src/domain/photos/staged-upload.js'
import type { Perms } from '../../src/db/tables.js'
import type { Services } from '../../src/services.js'
import { makeJpeg } from './images.js'

// A data folder prepared in-process before `retake serve --drop-in` opens it in a namespace: the
// account, a program's own API key (registered as `retake app create --api-key` does), a token and
// photos, each a distinct JPEG so byte comparisons mean something.

export interface DropInFixture {
  dataDir: string
  nsid: string
  username: string
  password: string
  token: { token: string; secret: string }
  /** Uploaded bytes by photo id, in upload order */
  photos: Map<string, Buffer>
  albumId: string | null
  albumPhotoIds: string[]
}

export interface DropInFixtureOptions {
  app: { name: string; apiKey: string; secret: string }
  perms: Perms
  photoCount: number
  /** Photos (from the first) that also go into one album */
  albumSize?: number
}

export async function prepareDropInData(options: DropInFixtureOptions): Promise<DropInFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'retake-dropin-'))
  const services = await createServices(loadConfig({ overrides: { dataDir, logLevel: 'silent' }, env: {} }))
  try {
    const password = 'drop-in-pw'
    const user = await createUser(services, { username: 'alice', isPro: true, password, fullname: 'Alice Drop' })
    await createApp(services, { name: options.app.name, ownerUsername: 'alice', given: { apiKey: options.app.apiKey, secret: options.app.secret } })
    const issued = await issueAccessToken(services, { userNsid: user.nsid, apiKey: options.app.apiKey, perms: options.perms, legacy: false })
    const photos = await uploadDistinct(services, user.nsid, options.photoCount)
    const ids = [...photos.keys()]
    let albumId: string | null = null
    const albumPhotoIds = ids.slice(0, options.albumSize ?? 0)
    if (albumPhotoIds.length > 0) {
      albumId = (await services.albums.create(user, { title: 'Drop-in album', primaryPhotoId: albumPhotoIds[0]! })).id
      for (const id of albumPhotoIds.slice(1)) await services.albums.addPhoto(user, albumId, id)
    }
    return { dataDir, nsid: user.nsid, username: user.username, password, token: { token: issued.token, secret: issued.secret! }, photos, albumId, albumPhotoIds }
  } finally {
    await services.close()
  }
}

/** `count` sync uploads through the real PhotoService, two at a time (the machine is shared). */
async function uploadDistinct(services: Services, nsid: string, count: number): Promise<Map<string, Buffer>> {
  const user = await services.accounts.byNsid(nsid)
  assert.ok(user)
  const results: Array<[string, Buffer]> = new Array(count)
  let next = 0
  const worker = async () => {
    while (next < count) {
      const index = next++
      const data = await makeJpeg({ width: 24, height: 16, seed: 1000 + index })
      const staged = await stageUpload(Readable.from([data]), { dir: services.stagingDir, maxBytes: 1 << 20 })
      const meta = { title: `photo ${index}`, description: '', tags: '', isPublic: true, isFriend: false, isFamily: false, safetyLevel: 1, contentType: 1, hidden: 0 }
      const outcome = await services.photoService.upload(user, staged, meta, { async: false })
      assert.equal(outcome.kind, 'photo')
      if (outcome.kind === 'photo') results[index] = [outcome.photoId, data]
    }
  }
  await Promise.all([worker(), worker()])
  return new Map(results)
}
