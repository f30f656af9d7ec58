import { FlickrError } from '../../errors/flickr-error.js'

// Codes of the upload and replace APIs (reference §1.1, §1.2, §7). Flickr documents no code for a
// replace of a photo that is missing or not the caller's; Retake answers 7 "Photo not found".
export const photoErrors = {
  notPro: () => new FlickrError(1, 'Not a pro account'),
  noPhoto: () => new FlickrError(2, 'No photo specified'),
  generalFailure: (cause?: unknown) => new FlickrError(3, 'General upload failure', cause ? { cause } : undefined),
  zeroBytes: () => new FlickrError(4, 'Filesize was zero'),
  notRecognised: () => new FlickrError(5, 'Filetype was not recognised'),
  limitReached: () => new FlickrError(6, 'Upload limit reached'),
  photoNotFound: () => new FlickrError(7, 'Photo not found'),
  videoNotReplaceable: () => new FlickrError(8, "Videos can't be replaced"),
} as const
