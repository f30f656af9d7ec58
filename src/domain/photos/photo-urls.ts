import type { PhotoRow } from '../../db/photo-repository.js'

// Flickr's URL templates (flickr-api-reference.md §6.1). The static route parses what these build,
// so both sides share secretFor/extensionFor.

export type PhotoUrlFields = Pick<PhotoRow, 'id' | 'server' | 'secret' | 'originalSecret' | 'secretH' | 'secretK' | 'originalFormat'>

/** Sizes below `h` share the photo's secret; `h`, `k` and the original each have their own. */
export function secretFor(photo: PhotoUrlFields, suffix: string): string {
  switch (suffix) {
    case 'o':
      return photo.originalSecret
    case 'h':
      return photo.secretH
    case 'k':
      return photo.secretK
    default:
      return photo.secret
  }
}

/** Every derived size is a JPEG; the original keeps its own format. */
export function extensionFor(photo: PhotoUrlFields, suffix: string): string {
  return suffix === 'o' ? photo.originalFormat : 'jpg'
}

/** `{base}/{server}/{id}_{secret}[_{suffix}].{ext}`; Medium 500 (suffix '') has no suffix part. */
export function photoSourceUrl(baseUrl: string, photo: PhotoUrlFields, suffix: string): string {
  const tail = suffix === '' ? '' : `_${suffix}`
  return `${baseUrl}/${photo.server}/${photo.id}_${secretFor(photo, suffix)}${tail}.${extensionFor(photo, suffix)}`
}

/** The photo page: `{base}/photos/{nsid}/{id}/`. */
export function photoPageUrl(baseUrl: string, ownerNsid: string, photoId: string): string {
  return `${baseUrl}/photos/${ownerNsid}/${photoId}/`
}

/** A size's page: `{base}/photos/{nsid}/{id}/sizes/{pageCode}/` (page codes differ from suffixes). */
export function sizePageUrl(baseUrl: string, ownerNsid: string, photoId: string, pageCode: string): string {
  return `${photoPageUrl(baseUrl, ownerNsid, photoId)}sizes/${pageCode}/`
}
