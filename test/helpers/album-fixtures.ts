import { Readable } from 'node:stream'
import assert from 'node:assert/strict'
import { stageUpload } from '../../src/domain/photos/staged-upload.js'
import type { Services } from '../../src/services.js'
import { makeJpeg } from './images.js'
import { signedCall } from './oauth-client.js'
import type { TestServer } from './start-server.js'

// Album suites need many photos: they are made through the real PhotoService (staging, probe, every
// size rendered by sharp, one commit each) from tiny real JPEGs, skipping only the HTTP upload.

export interface FixturePhoto {
  title: string
  isPublic?: boolean
}

/** Uploads `photos` for the user, `parallel` at a time; ids in the order given. */
export async function insertPhotos(services: Services, nsid: string, photos: readonly FixturePhoto[], parallel = 4): Promise<string[]> {
  const user = await services.accounts.byNsid(nsid)
  assert.ok(user, `no user ${nsid}`)
  const data = await makeJpeg({ width: 24, height: 16, seed: 5 })
  const ids: string[] = new Array(photos.length)
  let next = 0
  const worker = async () => {
    while (next < photos.length) {
      const index = next++
      const photo = photos[index]!
      const staged = await stageUpload(Readable.from([data]), { dir: services.stagingDir, maxBytes: 1 << 20 })
      const meta = { title: photo.title, description: '', tags: '', isPublic: photo.isPublic ?? true, isFriend: false, isFamily: false, safetyLevel: 1, contentType: 1, hidden: 0 }
      const outcome = await services.photoService.upload(user, staged, meta, { async: false })
      assert.equal(outcome.kind, 'photo')
      ids[index] = outcome.kind === 'photo' ? outcome.photoId : ''
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, photos.length) }, worker))
  return ids
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any
export type Token = { token: string; secret: string }

/** A signed REST call as flickr-sdk makes them: GET for reads, POST (urlencoded) for writes; JSON or XML. */
export function restCaller(server: TestServer, app: { apiKey: string; secret: string }) {
  return async function call(token: Token | null, params: Record<string, string>, format: 'json' | 'rest' = 'json'): Promise<Json> {
    const write = /\.(create|add\w*|remove\w*|edit\w*|delete|order\w*|reorder\w*|set\w*)$/.test(params.method!)
    const method = write ? 'POST' : 'GET'
    const result = await signedCall({
      method,
      url: `${server.url}/services/rest/`,
      params: format === 'json' ? { ...params, format: 'json', nojsoncallback: '1' } : params,
      consumer: { key: app.apiKey, secret: app.secret },
      token: token ? { key: token.token, secret: token.secret } : undefined,
      placement: method === 'GET' ? 'query' : 'body',
      dispatcher: server.dispatcher,
    })
    assert.equal(result.status, 200)
    return format === 'json' ? JSON.parse(result.body) : result.body
  }
}

/** Positions of a set straight from the database: to check they stay 0..n-1 with no photo twice. */
export async function storedMembers(services: Services, photosetId: string): Promise<{ photoId: string; position: number }[]> {
  return services.database.db.selectFrom('photosetPhotos').select(['photoId', 'position']).where('photosetId', '=', photosetId).orderBy('position').execute()
}
