import type { Account } from '../../db/account-repository.js'
import type { PhotoRow } from '../../db/photo-repository.js'
import { ImageRejected, probeImage, type ProbedImage } from '../../images/probe.js'
import type { Services } from '../../services.js'
import { planOf } from '../accounts/upload-status.js'
import { photoErrors } from './photo-errors.js'

/**
 * What the staged file is, decided by its content and header alone (no pixel is decoded), mapped to
 * the upload/replace error codes. A decompression bomb is refused here, before any decode.
 */
export async function inspectStagedFile(services: Services, path: string, bytes: number, kind: 'upload' | 'replace'): Promise<ProbedImage> {
  if (bytes === 0) throw photoErrors.zeroBytes()
  try {
    return await probeImage(path, { maxPixels: services.config.maxInputPixels })
  } catch (error) {
    throw rejectionToFlickrError(error, kind)
  }
}

/** The one mapping from an image rejection (probe or decode) to the upload/replace error codes. */
export function rejectionToFlickrError(error: unknown, kind: 'upload' | 'replace') {
  if (!(error instanceof ImageRejected)) return photoErrors.generalFailure(error)
  switch (error.reason) {
    case 'video':
      // Flickr refuses video replaces with 8; Retake stores photos only, so a video upload is 5.
      return kind === 'replace' ? photoErrors.videoNotReplaceable() : photoErrors.notRecognised()
    case 'not-an-image':
    case 'unsupported':
      return photoErrors.notRecognised()
    case 'too-many-pixels':
    case 'corrupt':
      return photoErrors.generalFailure(error)
  }
}

/** The photo a replace names, if it exists and is the caller's; 7 otherwise (either way, same answer). */
export async function findOwnPhoto(services: Services, user: Account, photoId: string | undefined): Promise<PhotoRow> {
  const photo = photoId && /^\d{1,20}$/.test(photoId) ? await services.photos.byId(photoId) : undefined
  if (!photo || photo.ownerNsid !== user.nsid) throw photoErrors.photoNotFound()
  return photo
}

/** Error 6 when the file, this month's bytes or the photo count would pass the account's plan. */
export async function checkPlanLimits(services: Services, user: Account, bytes: number, addsPhoto: boolean, isPublic: boolean): Promise<void> {
  const plan = planOf(user, services.config.plans)
  if (bytes > plan.maxFileBytes) throw photoErrors.limitReached()
  const usage = await services.usage.usage(user.nsid, services.clock())
  if (plan.monthlyBytes !== null && usage.bytesThisMonth + bytes > plan.monthlyBytes) throw photoErrors.limitReached()
  if (addsPhoto && plan.maxPhotos !== null && usage.photos >= plan.maxPhotos) throw photoErrors.limitReached()
  if (addsPhoto && !isPublic && plan.maxNonPublic !== null && usage.nonPublicPhotos >= plan.maxNonPublic) throw photoErrors.limitReached()
}
