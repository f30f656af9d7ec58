import { timingSafeEqual } from 'node:crypto'
import type { PhotoRow } from '../../db/photo-repository.js'

// The one rule for who may see a photo, used by the REST methods, the web pages and the static URLs.
// Owner: always. Anyone: public photos. Friend/family-only photos count as private until Retake has
// contacts. A secret is a capability: whoever presents the right one sees the photo (getInfo's
// `secret` argument, and the secret inside every static URL).

export type VisibilityFields = Pick<PhotoRow, 'ownerNsid' | 'isPublic' | 'isFriend' | 'isFamily'>

export interface ViewRequest {
  /** The signed-in or token-bearing user, if any */
  viewerNsid?: string | null
  /** A secret the viewer presents, and the one it must equal */
  secret?: { given: string; expected: string }
}

export function canView(photo: VisibilityFields, request: ViewRequest): boolean {
  if (request.viewerNsid && request.viewerNsid === photo.ownerNsid) return true
  if (photo.isPublic === 1) return true
  return request.secret !== undefined && secretMatches(request.secret.given, request.secret.expected)
}

/** The same rule as a listing filter: an owner lists everything, anyone else public photos only. */
export function listingFilter(ownerNsid: string, viewerNsid: string | null | undefined): { publicOnly: boolean } {
  return { publicOnly: viewerNsid !== ownerNsid }
}

/**
 * The same rule for listings that may span owners (photos.search, getRecent): with an owner, exactly
 * listingFilter; without one, everyone's public photos plus the viewer's own.
 */
export function listingScope(viewerNsid: string | null | undefined, ownerNsid?: string): { ownerNsid?: string; publicOnly: boolean; ownNsid: string | null } {
  if (ownerNsid !== undefined) return { ownerNsid, ...listingFilter(ownerNsid, viewerNsid), ownNsid: viewerNsid ?? null }
  return { publicOnly: true, ownNsid: viewerNsid ?? null }
}

/** A set is visible to whoever may see its primary photo (as on Flickr); listings use listingFilter. */
export function canViewSet(primary: VisibilityFields, viewerNsid: string | null | undefined): boolean {
  return canView(primary, { viewerNsid })
}

/**
 * Constant-time secret comparison. Static URLs use it alone: their secret names the current revision,
 * so a wrong one is not this photo's URL at all, public or not (old URLs die at a replace).
 */
export function secretMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
