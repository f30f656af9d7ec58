import type { UploadStatus } from '../../domain/accounts/upload-status.js'
import type { Attrs } from '../payload.js'

/**
 * What `upload_limit` says for a plan with no photo limit: 2147483647, the largest 32-bit signed
 * integer. Shotwell parses the attribute as an integer and refuses the account when it is missing or
 * not a number, and clients read it with atoi; a number no account reaches reads as "no limit" to all.
 */
export const NO_PHOTO_LIMIT = 2147483647

/** `upload_count upload_limit upload_limit_status` of getUploadStatus's and people.getInfo's `<user>`/`<person>`. */
export function photoLimitAttrs(photos: UploadStatus['photos']): Attrs {
  const limit = photos.max ?? NO_PHOTO_LIMIT
  return { upload_count: photos.uploaded, upload_limit: limit, upload_limit_status: photos.uploaded >= limit ? 'at_limit' : 'below_limit' }
}
