import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import sharp from 'sharp'
import { ImageRejected } from '../../src/images/probe.js'
import { renderSizes } from '../../src/images/render-sizes.js'
import type { RenderedSize } from '../../src/images/render-sizes.js'
import { flickrSizes, sizesFor } from '../../src/images/sizes.js'
import { assertLooksLike, fingerprint, similarity } from '../helpers/image-fingerprint.js'
import {
  makeAnimatedGif,
  makeBomb,
  makeCmykJpeg,
  makeJpeg,
  makePng,
  makeTruncatedJpeg,
  makeWebp,
  writeTemp,
} from '../helpers/images.js'

async function assertPlainSrgbJpeg(size: RenderedSize): Promise<void> {
  const meta = await sharp(size.data).metadata()
  assert.equal(meta.format, 'jpeg', `${size.suffix} format`)
  assert.equal(meta.space, 'srgb', `${size.suffix} colour space`)
  assert.equal(meta.channels, 3, `${size.suffix} channels`)
  assert.equal(meta.depth, 'uchar', `${size.suffix} depth`)
  assert.deepEqual([meta.width, meta.height], [size.width, size.height], `${size.suffix} dimensions`)
  assert.equal(meta.exif, undefined, `${size.suffix} has EXIF`)
  assert.equal(meta.orientation, undefined, `${size.suffix} has an orientation tag`)
}

async function assertAllLookLike(sizes: readonly RenderedSize[], source: Buffer, old?: Buffer): Promise<void> {
  for (const size of sizes) {
    const square = size.suffix === 's' || size.suffix === 'q'
    await assertLooksLike(size.data, source, old, { square, message: `size '${size.suffix}'` })
  }
}

describe('renderSizes', () => {
  it('renders every planned size with planned dimensions, each resembling the source', async () => {
    const source = await makeJpeg({ width: 2400, height: 1800, seed: 3, exifDate: '2020:01:02 03:04:05' })
    const other = await makeJpeg({ width: 2400, height: 1800, seed: 4 })
    const sizes = await renderSizes(writeTemp(source, 'big.jpg'))
    const planned = sizesFor(2400, 1800)
    assert.deepEqual(
      sizes.map((s) => [s.suffix, s.width, s.height]),
      planned.map((p) => [p.suffix, p.width, p.height]),
    )
    assert.equal(sizes.length, flickrSizes.length)
    for (const size of sizes) await assertPlainSrgbJpeg(size)
    await assertAllLookLike(sizes, source, other)
  })

  it('renders only the sizes asked for', async () => {
    const path = writeTemp(await makeJpeg({ width: 800, height: 600 }), 'pick.jpg')
    const wanted = sizesFor(800, 600).filter((p) => p.suffix === 'q' || p.suffix === 'z')
    const sizes = await renderSizes(path, { sizes: wanted, quality: 70 })
    assert.deepEqual(sizes.map((s) => [s.suffix, s.width, s.height]), [['q', 150, 150], ['z', 640, 480]])
  })

  it('keeps the aspect ratio when only square crops are asked for', async () => {
    const source = await makeJpeg({ width: 800, height: 400, seed: 11 })
    const wanted = sizesFor(800, 400).filter((p) => p.size.crop === 'square')
    const sizes = await renderSizes(writeTemp(source, 'crops.jpg'), { sizes: wanted })
    assert.deepEqual(sizes.map((s) => [s.suffix, s.width, s.height]), [['s', 75, 75], ['q', 150, 150]])
    await assertAllLookLike(sizes, source)
  })

  it('renders the square crops of a panorama from enough pixels', async () => {
    const source = await makeJpeg({ width: 3000, height: 200, seed: 12 })
    const sizes = await renderSizes(writeTemp(source, 'panorama.jpg'))
    const byName = new Map(sizes.map((s) => [s.suffix, s]))
    assert.deepEqual([byName.get('k')?.width, byName.get('k')?.height], [2048, 137])
    assert.deepEqual([byName.get('q')?.width, byName.get('q')?.height], [150, 150])
    // Below ~32 px high (t is 100x7) there is too little left of an 8-row pattern to compare.
    await assertAllLookLike(sizes.filter((s) => s.height >= 32), source)
  })

  it('applies EXIF orientation 6: a 400x300 stored image gives portrait sizes', async () => {
    const source = await makeJpeg({ width: 400, height: 300, seed: 5, orientation: 6 })
    const sizes = await renderSizes(writeTemp(source, 'rotated.jpg'))
    const byName = new Map(sizes.map((s) => [s.suffix, s]))
    assert.deepEqual([byName.get('w')?.width, byName.get('w')?.height], [300, 400])
    assert.deepEqual([byName.get('m')?.width, byName.get('m')?.height], [180, 240])
    for (const size of sizes) await assertPlainSrgbJpeg(size)
    // fingerprint() displays the source with its orientation, so the rotation must match too.
    await assertAllLookLike(sizes, source)
    const unrotated = await fingerprint(await sharp(source).toBuffer())
    assert.ok(similarity(await fingerprint(byName.get('w')?.data ?? Buffer.alloc(0)), unrotated) < 0.9)
  })

  it('converts a CMYK JPEG to an 8-bit sRGB JPEG', async () => {
    const source = await makeCmykJpeg({ width: 640, height: 480, seed: 6 })
    const sizes = await renderSizes(writeTemp(source, 'cmyk.jpg'))
    for (const size of sizes) await assertPlainSrgbJpeg(size)
    await assertAllLookLike(sizes, source)
  })

  it('converts a 16-bit PNG with alpha to 8-bit sRGB JPEGs flattened on white', async () => {
    const source = await makePng({ width: 640, height: 480, seed: 8, bitDepth16: true, alpha: true })
    const sizes = await renderSizes(writeTemp(source, 'deep.png'))
    for (const size of sizes) await assertPlainSrgbJpeg(size)
    await assertAllLookLike(sizes, source)
    // The transparent left quarter must come out white, not black.
    const medium = sizes.find((s) => s.suffix === '')
    assert.ok(medium !== undefined)
    const { data } = await sharp(medium.data).extract({ left: 5, top: 5, width: 10, height: 10 }).raw().toBuffer({ resolveWithObject: true })
    assert.ok(Math.min(...data) > 240, `transparent area rendered as ${Math.min(...data)}`)
  })

  it('renders the first frame of an animated GIF', async () => {
    const gif = await makeAnimatedGif({ width: 320, height: 240, seed: 9 }, 3)
    const firstFrame = await makePng({ width: 320, height: 240, seed: 9, alpha: true })
    const secondFrame = await makePng({ width: 320, height: 240, seed: 9 + 101, alpha: true })
    const sizes = await renderSizes(writeTemp(gif, 'anim.gif'))
    assert.deepEqual(sizes.map((s) => s.suffix), ['s', 'q', 't', 'm', 'n', ''])
    for (const size of sizes) await assertPlainSrgbJpeg(size)
    await assertAllLookLike(sizes, firstFrame, secondFrame)
  })

  it('renders a small WebP without upscaling', async () => {
    const source = await makeWebp({ width: 120, height: 90, seed: 10 })
    const sizes = await renderSizes(writeTemp(source, 'small.webp'))
    assert.deepEqual(
      sizes.map((s) => [s.suffix, s.width, s.height]),
      [['s', 75, 75], ['q', 90, 90], ['t', 100, 75], ['m', 120, 90], ['', 120, 90]],
    )
    await assertAllLookLike(sizes, source)
  })

  it('rejects a truncated JPEG as corrupt instead of rendering grey', async () => {
    const error = await renderSizes(writeTemp(await makeTruncatedJpeg(), 'cut.jpg')).catch((e: unknown) => e)
    assert.ok(error instanceof ImageRejected)
    assert.equal(error.reason, 'corrupt')
  })

  // How fast the refusal is belongs to bench/probe.ts; here, that it is refused for its pixel count.
  it('refuses a decompression bomb before decoding', async () => {
    const error = await renderSizes(writeTemp(await makeBomb(), 'bomb.png')).catch((e: unknown) => e)
    assert.ok(error instanceof ImageRejected)
    assert.equal(error.reason, 'too-many-pixels')
  })

  it('rejects content that is not an image', async () => {
    const error = await renderSizes(writeTemp(Buffer.from('not a picture at all'), 'text.jpg')).catch((e: unknown) => e)
    assert.ok(error instanceof ImageRejected)
    assert.equal(error.reason, 'not-an-image')
  })
})
