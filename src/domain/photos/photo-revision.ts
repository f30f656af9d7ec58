import { newSecret } from '../../auth/ids.js'
import type { BlobGarbageRepository } from '../../db/blob-garbage-repository.js'
import type { PhotoFileRow, PhotoRevisionFields } from '../../db/photo-repository.js'
import type { ProbedImage } from '../../images/probe.js'
import { renderSizes } from '../../images/render-sizes.js'
import type { PhotoDeps } from './photo-deps.js'
import { rejectionToFlickrError } from './ingest-checks.js'
import { jobGeneration, originalKey, sizeKey } from './photo-keys.js'

/** A new set of files for a photo, stored under fresh keys but not yet pointed to by any row. */
export interface PreparedRevision {
  fields: PhotoRevisionFields
  files: Omit<PhotoFileRow, 'revision'>[]
  keys: string[]
}

// New keys stay claimable this long before the sweeper may treat them as a crashed attempt's orphans.
const INTENT_GRACE_SECONDS = 3600

/**
 * Decodes the staged original once, renders every size and stores all of them, plus the original
 * byte for byte, under new keys. The keys are recorded as garbage first: if the process dies before
 * a transaction claims them, the sweeper deletes them. On failure the keys written are removed.
 * An async job passes its ticket: the keys then carry it, so its next attempt can sweep them at once.
 */
export async function prepareRevision(
  services: PhotoDeps,
  input: { photoId: string; stagedPath: string; sha256: string; bytes: number; probe: ProbedImage; ticketId?: string },
): Promise<PreparedRevision> {
  const { photoId, probe } = input
  const generation = input.ticketId ? jobGeneration(input.ticketId, newSecret()) : newSecret()
  const secret = newSecret()
  const originalSecret = newSecret()
  const secretH = newSecret()
  const secretK = newSecret()
  const now = services.clock()
  await services.faults?.('before-render')
  let rendered
  try {
    rendered = await renderSizes(input.stagedPath, { maxPixels: services.limits.maxInputPixels })
  } catch (error) {
    throw rejectionToFlickrError(error, 'upload')
  }
  const secretFor = (suffix: string) => (suffix === 'h' ? secretH : suffix === 'k' ? secretK : secret)
  const files: Omit<PhotoFileRow, 'revision'>[] = rendered.map((size) => ({
    photoId,
    suffix: size.suffix,
    width: size.width,
    height: size.height,
    bytes: size.data.length,
    blobKey: sizeKey(photoId, generation, secretFor(size.suffix), size.suffix),
  }))
  const original = {
    photoId,
    suffix: 'o',
    width: probe.width,
    height: probe.height,
    bytes: input.bytes,
    blobKey: originalKey(photoId, generation, originalSecret, probe.format),
  }
  files.push(original)
  const keys = files.map((file) => file.blobKey)
  await services.blobGarbage.add(keys, now + INTENT_GRACE_SECONDS)
  try {
    await Promise.all(rendered.map((size, i) => services.blobs.put(files[i]!.blobKey, size.data)))
    await services.faults?.('sizes-stored')
    // putFile leaves the staged file in place for a retry of an interrupted job, until the job ends.
    await services.blobs.putFile(original.blobKey, input.stagedPath)
    await services.faults?.('original-stored')
  } catch (error) {
    await discardRevision(services, keys)
    throw error
  }
  return {
    keys,
    files,
    fields: {
      secret,
      originalSecret,
      secretH,
      secretK,
      originalFormat: probe.format,
      width: probe.width,
      height: probe.height,
      originalBytes: input.bytes,
      originalSha256: input.sha256,
      lastUpdate: now,
    },
  }
}

/**
 * In the commit transaction: takes the revision's intents, so the sweeper leaves its blobs alone. Throws
 * (rolling the commit back) when one was already due: its blob may be gone or about to go.
 */
export async function claimRevision(garbage: BlobGarbageRepository, prepared: PreparedRevision, now: number): Promise<void> {
  const claimed = await garbage.claim(prepared.keys, now)
  if (claimed !== prepared.keys.length) {
    throw new Error('revision no longer claimable: its blob intents were released (a later attempt took over, or they outlived their grace)')
  }
}

/** Best-effort removal of a revision that was never committed; the sweeper retries what fails. */
export async function discardRevision(services: PhotoDeps, keys: string[]): Promise<void> {
  const results = await Promise.allSettled(keys.map((key) => services.blobs.delete(key)))
  const deleted = keys.filter((_, i) => results[i]!.status === 'fulfilled')
  await services.blobGarbage.remove(deleted).catch(() => undefined)
}

/** Deletes blobs a committed transaction released; failures are left to the sweeper. */
export async function deleteReleasedBlobs(services: PhotoDeps, keys: string[]): Promise<void> {
  await discardRevision(services, keys)
}
