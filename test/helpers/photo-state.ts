import assert from 'node:assert/strict'
import { readAll } from '../contract/blob-store.contract.js'
import type { TestServer } from './start-server.js'

/** Everything that identifies a photo's pixels: its row's secrets and the bytes behind every file. */
export async function photoSnapshot(server: TestServer, photoId: string) {
  const services = server.running.services
  const photo = await services.photos.byId(photoId)
  assert.ok(photo, `photo ${photoId} exists`)
  const files = await services.photos.files(photoId, photo.revision)
  const bytes: Record<string, string> = {}
  for (const file of files) bytes[file.suffix] = (await readAll(await services.blobs.get(file.blobKey))).toString('base64')
  return { photo, files: files.map((f) => f.blobKey).sort(), bytes }
}

/** Blob keys stored for a photo that no file row of its current revision claims. */
export async function orphanedBlobs(server: TestServer, photoId: string): Promise<string[]> {
  const services = server.running.services
  const photo = await services.photos.byId(photoId)
  const claimed = new Set(photo ? (await services.photos.files(photoId, photo.revision)).map((f) => f.blobKey) : [])
  const orphans: string[] = []
  for await (const key of services.blobs.list(`photos/${photoId}/`)) if (!claimed.has(key)) orphans.push(key)
  return orphans.sort()
}
