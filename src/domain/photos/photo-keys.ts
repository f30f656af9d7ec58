import type { BlobKey } from '../../storage/blob-store.js'

/**
 * Blob keys carry a random generation and the secret, so a replace never overwrites live bytes and a
 * key is never reused: `photos/{id}/{generation}/{secret}_{suffix}.jpg`, original `…/{osecret}_o.{format}`.
 */
export function sizeKey(photoId: string, generation: string, secret: string, suffix: string): BlobKey {
  return `photos/${photoId}/${generation}/${secret}${suffix ? `_${suffix}` : ''}.jpg`
}

export function originalKey(photoId: string, generation: string, originalSecret: string, format: string): BlobKey {
  return `photos/${photoId}/${generation}/${originalSecret}_o.${format}`
}

/**
 * An async job's revisions name its ticket in the generation (`{ticketId}.{random}`), so a later attempt
 * of the job can find, by prefix, what an interrupted one stored and never committed.
 */
export function jobGeneration(ticketId: string, random: string): string {
  return `${ticketId}.${random}`
}

export function jobKeyPrefix(photoId: string, ticketId: string): string {
  return `photos/${photoId}/${jobGeneration(ticketId, '')}`
}

// The media type table lives with storage, where every blob backend uses it.
export { CONTENT_TYPES } from '../../storage/content-types.js'

/** Photo ids are decimal, as Flickr's are; anything else names no photo. */
export const PHOTO_ID_PATTERN = /^\d{1,20}$/
