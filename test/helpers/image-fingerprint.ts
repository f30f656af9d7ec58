// Perceptual fingerprints for image assertions: a 16×16 greyscale thumbnail compared by correlation.
// Robust to resizing, recompression and colour conversion; sensitive to a different picture. Unlike
// an average hash's bits, cells that straddle an edge after a crop change smoothly, not by flipping.
import assert from 'node:assert/strict'
import sharp from 'sharp'

const side = 16

export interface FingerprintOptions {
  /** Centre-crop to a square first, to compare with Flickr's square sizes (s, q). */
  readonly square?: boolean
}

export type Fingerprint = readonly number[]

/** Hash of an image (bytes or path), as displayed: EXIF orientation is applied first. */
export async function fingerprint(input: Buffer | string, options: FingerprintOptions = {}): Promise<Fingerprint> {
  let image = sharp(input).rotate()
  if (options.square) {
    const { data, info } = await image.png().toBuffer({ resolveWithObject: true })
    const edge = Math.min(info.width, info.height)
    // Materialised: a second resize() in the same pipeline would replace this one.
    const cropped = await sharp(data).resize({ width: edge, height: edge, fit: 'cover', position: 'centre' }).png().toBuffer()
    image = sharp(cropped)
  }
  const grey = await image
    .flatten({ background: '#ffffff' })
    .resize({ width: side, height: side, fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer()
  return Array.from(grey)
}

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length

/** (Pearson correlation + 1) / 2: 1 for the same picture, about 0.5 for unrelated ones, 0 for a negative. */
export function similarity(a: Fingerprint, b: Fingerprint): number {
  assert.equal(a.length, b.length, 'fingerprints of different sizes')
  const meanA = mean(a)
  const meanB = mean(b)
  let covariance = 0
  let varianceA = 0
  let varianceB = 0
  for (let i = 0; i < a.length; i++) {
    const da = (a[i] ?? 0) - meanA
    const db = (b[i] ?? 0) - meanB
    covariance += da * db
    varianceA += da * da
    varianceB += db * db
  }
  // A flat image has no structure to correlate: compare brightness instead.
  if (varianceA < 1e-6 || varianceB < 1e-6) return 1 - Math.abs(meanA - meanB) / 255
  return (covariance / Math.sqrt(varianceA * varianceB) + 1) / 2
}

type Comparable = Buffer | string | Fingerprint

const toFingerprint = (input: Comparable, options: FingerprintOptions): Promise<Fingerprint> | Fingerprint =>
  Array.isArray(input) ? (input as Fingerprint) : fingerprint(input as Buffer | string, options)

/**
 * Asserts `actual` resembles `expected` (similarity >= 0.9) and, when `old` is given, is clearly
 * closer to `expected` than to `old` (by at least 0.25), e.g. every size after a replace.
 */
export async function assertLooksLike(
  actual: Comparable,
  expected: Comparable,
  old?: Comparable,
  options: FingerprintOptions & { message?: string } = {},
): Promise<void> {
  const actualPrint = await toFingerprint(actual, {})
  const toExpected = similarity(actualPrint, await toFingerprint(expected, options))
  const label = options.message ? `${options.message}: ` : ''
  assert.ok(toExpected >= 0.9, `${label}similarity to expected image is ${toExpected.toFixed(2)} (< 0.90)`)
  if (old !== undefined) {
    const toOld = similarity(actualPrint, await toFingerprint(old, options))
    assert.ok(
      toExpected - toOld >= 0.25,
      `${label}not clearly different from the old image (expected ${toExpected.toFixed(2)}, old ${toOld.toFixed(2)})`,
    )
  }
}
