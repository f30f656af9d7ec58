import sharp from 'sharp'
import type { FailOnOptions, ResizeOptions, Sharp } from 'sharp'
import { defaultMaxPixels, ImageRejected } from './probe.js'
import { sizesFor } from './sizes.js'
import type { PlannedSize, SizeSuffix } from './sizes.js'

export interface RenderedSize {
  readonly suffix: SizeSuffix
  readonly width: number
  readonly height: number
  /** Baseline sRGB JPEG, no metadata. Small enough to hold in memory and hand to a BlobStore. */
  readonly data: Buffer
}

export interface RenderOptions {
  /** Defaults to sizesFor() of the displayed (oriented) original. */
  readonly sizes?: readonly PlannedSize[]
  /** JPEG quality, 1..100 (default 85). */
  readonly quality?: number
  /** Same meaning as probeImage's maxPixels; sharp refuses larger inputs before decoding. */
  readonly maxPixels?: number
}

interface RawImage {
  readonly data: Buffer
  readonly width: number
  readonly height: number
}

/**
 * Renders every size of an image from one decode: the largest size is decoded straight from the
 * file (EXIF orientation applied; JPEG shrink-on-load lets libjpeg decode big originals at 1/2..1/8
 * scale) into raw pixels, then smaller sizes are derived from it in a cascade of raws that halve in
 * size (k -> b -> Medium -> m -> t for a big original), each size resized from the nearest larger
 * raw; square crops come from the smallest raw that covers them. Output is 8-bit sRGB (CMYK, 16-bit and ICC inputs are
 * converted, alpha flattened on white, first frame only), encoded concurrently.
 *
 * Global sharp settings (sharp.concurrency, cache) are left to the process: on glibc without
 * jemalloc sharp defaults to 1 libvips thread per pipeline, and the encodes here run on the libuv pool.
 * Throws ImageRejected ('corrupt', 'too-many-pixels', 'not-an-image', 'unsupported').
 */
export async function renderSizes(input: string, options: RenderOptions = {}): Promise<RenderedSize[]> {
  const quality = options.quality ?? 85
  const maxPixels = options.maxPixels ?? defaultMaxPixels
  const fromFile = (failOn: FailOnOptions = 'error'): Sharp => sharp(input, { failOn, limitInputPixels: maxPixels })

  try {
    const meta = await fromFile().metadata()
    const planned = options.sizes ?? sizesFor(meta.autoOrient.width, meta.autoOrient.height)
    if (planned.length === 0) return []
    const resized = planned.filter((p) => p.size.crop === 'none').sort((a, b) => b.width * b.height - a.width * a.height)
    const crops = planned.filter((p) => p.size.crop === 'square')
    const largest = pickDecodeTarget(resized, crops)

    const decoded = await decodeStrictly(
      (failOn) =>
        fromFile(failOn)
          .rotate()
          .resize({ ...largest, fastShrinkOnLoad: true }),
      meta.format === 'jpeg',
    )

    const encodes: Promise<RenderedSize>[] = []
    const track = (pending: Promise<RenderedSize>): void => {
      // Awaited later by Promise.all; the no-op catch stops a rejection while we still await the
      // cascade from counting as unhandled.
      pending.catch(() => undefined)
      encodes.push(pending)
    }
    // Largest first. A size at least 2x smaller than the current source becomes the next source (a
    // raw in memory); sizes in between are resized and encoded straight from the current source.
    const sources: RawImage[] = [decoded]
    let source = decoded
    for (const plan of resized) {
      if (plan.width === source.width && plan.height === source.height) {
        track(encode(fromRaw(source), plan.suffix, quality))
      } else if (longestEdge(plan) * 2 <= longestEdge(source)) {
        source = await toRaw(fromRaw(source).resize({ width: plan.width, height: plan.height, fit: 'fill' }))
        sources.push(source)
        track(encode(fromRaw(source), plan.suffix, quality))
      } else {
        track(encode(fromRaw(source).resize({ width: plan.width, height: plan.height, fit: 'fill' }), plan.suffix, quality))
      }
    }
    for (const plan of crops) {
      const base = [...sources].reverse().find((r) => Math.min(r.width, r.height) >= plan.width) ?? decoded
      const square = fromRaw(base).resize({ width: plan.width, height: plan.height, fit: 'cover', position: 'centre' })
      track(encode(square, plan.suffix, quality))
    }
    const rendered = await Promise.all(encodes)
    const order = new Map(planned.map((p, i) => [p.suffix, i]))
    return rendered.sort((a, b) => (order.get(a.suffix) ?? 0) - (order.get(b.suffix) ?? 0))
  } catch (error) {
    throw asRejection(error)
  }
}

/**
 * Harmless libjpeg warnings seen in real camera and editor files: stray bytes between segments or
 * before EOI (never before an RSTn marker: there they mean a restart interval's data and its MCU
 * count disagree), odd JFIF or Adobe fields, a bad ICC chunk, odd SOS fields in a sequential file.
 */
const BENIGN_JPEG_WARNING =
  /extraneous bytes before marker 0x(?!d[0-7])[0-9a-f]{2}\b|unknown JFIF revision|unknown Adobe color transform|bad ICC marker|invalid SOS parameters for sequential JPEG/i

/**
 * libjpeg reports missing or damaged scan data only as a warning ("premature end of data segment"
 * for a cut file with an EOI appended, "bad Huffman code" for garbage) and fills the rest with grey,
 * so failOn 'error' lets such files through. JPEGs are therefore decoded at 'warning'; when the first
 * warning is a harmless one, the file is decoded again at 'error'. libjpeg stops at its first
 * warning, so damage after a harmless warning goes unseen: a known limit. Other formats: 'error'.
 */
async function decodeStrictly(pipeline: (failOn: FailOnOptions) => Sharp, isJpeg: boolean): Promise<RawImage> {
  if (!isJpeg) return toRaw(pipeline('error'))
  try {
    return await toRaw(pipeline('warning'))
  } catch (error) {
    if (!(error instanceof Error) || !BENIGN_JPEG_WARNING.test(error.message)) throw error
    return toRaw(pipeline('error'))
  }
}

// Decode straight to the largest resized size, unless the square crops need more (a panorama's
// short side, or crops only): then to the smallest image whose short side covers the crop.
function pickDecodeTarget(resized: readonly PlannedSize[], crops: readonly PlannedSize[]): ResizeOptions {
  const largest = resized[0]
  const cropSide = Math.max(0, ...crops.map((c) => c.width))
  if (largest !== undefined && Math.min(largest.width, largest.height) >= cropSide) {
    return { width: largest.width, height: largest.height, fit: 'fill' }
  }
  return { width: cropSide, height: cropSide, fit: 'outside', withoutEnlargement: true }
}

function toRaw(image: Sharp): Promise<RawImage> {
  return image
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .then(({ data, info }) => {
      if (info.channels !== 3) throw new Error(`expected 3 channels after sRGB conversion, got ${info.channels}`)
      return { data, width: info.width, height: info.height }
    })
}

function fromRaw(image: RawImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
}

const longestEdge = (image: { width: number; height: number }): number => Math.max(image.width, image.height)

// Baseline JPEG as plain libjpeg-turbo makes it: mozjpeg's trellis/scan tricks and Huffman
// optimisation cost 2-3x the encode time for a few percent of bytes.
async function encode(image: Sharp, suffix: SizeSuffix, quality: number): Promise<RenderedSize> {
  const { data, info } = await image
    .jpeg({ quality, mozjpeg: false, optimiseCoding: false })
    .toBuffer({ resolveWithObject: true })
  return { suffix, width: info.width, height: info.height, data }
}

// sharp reports everything as a plain Error; anything else (TypeError, RangeError...) is our bug.
function asRejection(error: unknown): unknown {
  if (!(error instanceof Error) || error.constructor !== Error) return error
  const message = error.message
  if (/pixel limit/i.test(message)) return new ImageRejected('too-many-pixels', message, { cause: error })
  if (/unsupported image format/i.test(message)) return new ImageRejected('not-an-image', message, { cause: error })
  if (/heif|codec/i.test(message) && /unsupported|no decoder/i.test(message)) {
    return new ImageRejected('unsupported', message, { cause: error })
  }
  return new ImageRejected('corrupt', message, { cause: error })
}
