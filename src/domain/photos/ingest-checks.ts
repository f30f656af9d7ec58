import type { Account } from '../../db/account-repository.js'
import type { PhotoRow } from '../../db/photo-repository.js'
import { uploadErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { ImageRejected, probeImage, type ProbedImage } from '../../images/probe.js'
import { planOf } from '../accounts/upload-status.js'
import { PHOTO_ID_PATTERN } from './photo-keys.js'
import type { PhotoDeps } from './photo-deps.js'

/**
 * What the staged file is, decided by its content and header alone (no pixel is decoded), mapped to
 * the upload/replace error codes. A decompression bomb is refused here, before any decode.
 */
export async function inspectStagedFile(deps: Pick<PhotoDeps, 'limits'>, path: string, bytes: number, kind: 'upload' | 'replace'): Promise<ProbedImage> {
  if (bytes === 0) throw new FlickrError(uploadErrors.zeroBytes)
  try {
    return await probeImage(path, { maxPixels: deps.limits.maxInputPixels })
  } catch (error) {
    throw rejectionToFlickrError(error, kind)
  }
}

/** The one mapping from an image rejection (probe or decode) to the upload/replace error codes. */
export function rejectionToFlickrError(error: unknown, kind: 'upload' | 'replace'): FlickrError {
  if (!(error instanceof ImageRejected)) return new FlickrError(uploadErrors.generalFailure, { cause: error })
  switch (error.reason) {
    case 'video':
      // Flickr refuses video replaces with 8; Retake stores photos only, so a video upload is 5.
      return new FlickrError(kind === 'replace' ? uploadErrors.videoNotReplaceable : uploadErrors.notRecognised)
    case 'not-an-image':
    case 'unsupported':
      return new FlickrError(uploadErrors.notRecognised)
    case 'too-many-pixels':
    case 'corrupt':
      return new FlickrError(uploadErrors.generalFailure, { cause: error })
  }
}

/** The photo a replace names, if it exists and is the caller's; 7 otherwise (either way, same answer). */
export async function findOwnPhoto(deps: Pick<PhotoDeps, 'photos'>, user: Account, photoId: string | undefined): Promise<PhotoRow> {
  const photo = photoId && PHOTO_ID_PATTERN.test(photoId) ? await deps.photos.byId(photoId) : undefined
  if (!photo || photo.ownerNsid !== user.nsid) throw new FlickrError(uploadErrors.photoNotFound)
  return photo
}

/** Error 6 when the file, this month's bytes or the photo count would pass the account's plan. */
export async function checkPlanLimits(
  deps: Pick<PhotoDeps, 'limits' | 'usage' | 'clock'>,
  user: Account,
  bytes: number,
  addsPhoto: boolean,
  isPublic: boolean,
): Promise<void> {
  const plan = planOf(user, deps.limits.plans)
  const limitReached = () => new FlickrError(uploadErrors.limitReached)
  if (bytes > plan.maxFileBytes) throw limitReached()
  const usage = await deps.usage.usage(user.nsid, deps.clock())
  if (plan.monthlyBytes !== null && usage.bytesThisMonth + bytes > plan.monthlyBytes) throw limitReached()
  if (addsPhoto && plan.maxPhotos !== null && usage.photos >= plan.maxPhotos) throw limitReached()
  if (addsPhoto && !isPublic && plan.maxNonPublic !== null && usage.nonPublicPhotos >= plan.maxNonPublic) throw limitReached()
}
