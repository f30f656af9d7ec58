export type ImageFormat = 'jpg' | 'png' | 'gif' | 'tiff' | 'webp' | 'heic' | 'avif'
export type VideoContainer = 'mp4' | 'quicktime' | 'matroska' | 'avi' | 'mpeg-ts' | 'mpeg-ps' | 'flv' | 'asf'

/**
 * Why a file cannot become a photo. The domain layer maps these to Flickr codes (e.g. replace's
 * 8 "Videos can't be replaced"); this module knows nothing about Flickr errors.
 * `unsupported`: recognised as an image, but this sharp build cannot decode it (e.g. HEVC HEIC).
 */
export type RejectReason = 'not-an-image' | 'video' | 'too-many-pixels' | 'corrupt' | 'unsupported'

export class ImageRejected extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
    options?: ErrorOptions & { container?: VideoContainer },
  ) {
    super(message, options)
    this.name = 'ImageRejected'
    this.container = options?.container
  }

  /** Set when `reason` is 'video'. */
  readonly container: VideoContainer | undefined
}
