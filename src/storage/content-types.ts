import { extname } from 'node:path'
import type { BlobKey } from './blob-store.js'

// The one table of media types, by file extension without the dot. Photo formats as the image probe
// names them (jpg, png, gif, tiff, webp, heic, avif) are extensions too, so it also maps a format.
export const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  heif: 'image/heif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
})

const FALLBACK = 'application/octet-stream'

/** Media type of a format or extension (`jpg`, `.PNG`), application/octet-stream when unknown. */
export function contentTypeOfFormat(format: string): string {
  const extension = format.replace(/^\./, '').toLowerCase()
  return Object.hasOwn(CONTENT_TYPES, extension) ? CONTENT_TYPES[extension]! : FALLBACK
}

/** Media type of a blob, from its key's extension: every backend answers the same for a key. */
export function contentTypeOfKey(key: BlobKey): string {
  const extension = extname(key)
  return extension === '' ? FALLBACK : contentTypeOfFormat(extension)
}
