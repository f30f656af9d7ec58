import { timingSafeEqual } from 'node:crypto'
import type { PhotoRow } from '../../db/photo-repository.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { ErrorSpec, MethodContext } from '../registry.js'

// Who may see or change a photo, for the photo methods. Flickr answers "not there" and "not yours"
// alike (code 1), so a caller cannot probe for the existence of other people's private photos.

export const PHOTO_NOT_FOUND: ErrorSpec = { code: 1, message: 'Photo not found' }

export const photoNotFound = () => new FlickrError(PHOTO_NOT_FOUND.code, PHOTO_NOT_FOUND.message)

export const PHOTO_ID_ARG = { name: 'photo_id', required: true, description: 'The id of the photo.' }
export const API_KEY_ARG = { name: 'api_key', required: true, description: 'Your API application key.' }

async function photoById(ctx: MethodContext): Promise<PhotoRow> {
  const id = ctx.params.get('photo_id') ?? ''
  const photo = /^\d{1,20}$/.test(id) ? await ctx.services.photos.byId(id) : undefined
  if (!photo) throw photoNotFound()
  return photo
}

export function isOwner(ctx: MethodContext, photo: PhotoRow): boolean {
  return ctx.actor !== null && ctx.actor.user.nsid === photo.ownerNsid
}

/**
 * The photo named by `photo_id` if the caller may view it: public photos for anyone, the rest for
 * their owner, or for anyone who presents the photo's secret (getInfo's `secret` argument).
 * Retake has no contacts yet, so friend/family-only photos count as private.
 */
export async function viewablePhoto(ctx: MethodContext, secret?: string): Promise<PhotoRow> {
  const photo = await photoById(ctx)
  if (photo.isPublic === 1 || isOwner(ctx, photo)) return photo
  if (secret !== undefined && sameSecret(secret, photo.secret)) return photo
  throw photoNotFound()
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The photo named by `photo_id` if it belongs to the caller (the write methods). */
export async function ownPhoto(ctx: MethodContext): Promise<PhotoRow> {
  const photo = await photoById(ctx)
  if (!isOwner(ctx, photo)) throw photoNotFound()
  return photo
}
