import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ImageRejected, probeImage, readExifDateTaken, sniffContent } from '../../src/images/probe.js'
import type { ImageFormat, RejectReason } from '../../src/images/probe.js'
import {
  makeAnimatedGif,
  makeAvif,
  makeBomb,
  makeCmykJpeg,
  makeFakeVideo,
  makeHeicBranded,
  makeJpeg,
  makePng,
  makeTiff,
  makeTruncatedJpeg,
  makeWebp,
  writeTemp,
} from '../helpers/images.js'
import type { FakeVideoKind } from '../helpers/images.js'

async function rejection(path: string, options?: { maxPixels?: number }): Promise<ImageRejected> {
  const error = await probeImage(path, options).then(
    () => assert.fail('expected the probe to reject'),
    (e: unknown) => e,
  )
  assert.ok(error instanceof ImageRejected, `expected ImageRejected, got ${String(error)}`)
  return error
}

describe('probeImage', () => {
  const formats: [ImageFormat, () => Promise<Buffer>][] = [
    ['jpg', () => makeJpeg({ width: 64, height: 48 })],
    ['png', () => makePng({ width: 64, height: 48 })],
    ['gif', () => makeAnimatedGif({ width: 64, height: 48 })],
    ['tiff', () => makeTiff({ width: 64, height: 48 })],
    ['webp', () => makeWebp({ width: 64, height: 48 })],
    ['avif', () => makeAvif({ width: 64, height: 48 })],
    ['heic', () => makeHeicBranded({ width: 64, height: 48 })],
  ]
  for (const [format, make] of formats) {
    it(`recognises ${format} by content under a misleading name`, async () => {
      const buf = await make()
      const probed = await probeImage(writeTemp(buf, `${format}-really.mp4`))
      assert.equal(probed.format, format)
      assert.equal(probed.width, 64)
      assert.equal(probed.height, 48)
      assert.equal(probed.bytes, buf.length)
    })
  }

  it('reports frames and alpha of an animated GIF', async () => {
    const probed = await probeImage(writeTemp(await makeAnimatedGif({}, 3), 'anim.jpg'))
    assert.equal(probed.pages, 3)
    assert.equal(probed.hasAlpha, true)
  })

  it('reports displayed dimensions after EXIF orientation', async () => {
    const probed = await probeImage(writeTemp(await makeJpeg({ width: 400, height: 300, orientation: 6 }), 'rot.jpg'))
    assert.deepEqual([probed.width, probed.height, probed.orientation], [300, 400, 6])
  })

  it('reads the date taken from EXIF DateTimeOriginal', async () => {
    const probed = await probeImage(writeTemp(await makeJpeg({ exifDate: '2019:07:14 18:30:05' }), 'dated.png'))
    assert.equal(probed.dateTaken, '2019-07-14 18:30:05')
    const undated = await probeImage(writeTemp(await makeJpeg(), 'undated.jpg'))
    assert.equal(undated.dateTaken, undefined)
  })

  it('treats an all-zero EXIF date as unknown', async () => {
    const probed = await probeImage(writeTemp(await makeJpeg({ exifDate: '0000:00:00 00:00:00' }), 'zero.jpg'))
    assert.equal(probed.dateTaken, undefined)
  })

  it('accepts a CMYK JPEG and a 16-bit PNG', async () => {
    assert.equal((await probeImage(writeTemp(await makeCmykJpeg(), 'cmyk.jpg'))).format, 'jpg')
    assert.equal((await probeImage(writeTemp(await makePng({ bitDepth16: true, alpha: true }), 'deep.png'))).hasAlpha, true)
  })

  for (const kind of ['mp4', 'mov', 'webm', 'avi', 'mpeg-ts', 'flv'] as FakeVideoKind[]) {
    it(`rejects ${kind} content named .jpg as a video`, async () => {
      const error = await rejection(writeTemp(makeFakeVideo(kind), `${kind}.jpg`))
      assert.equal(error.reason, 'video')
      assert.ok(error.container !== undefined)
    })
  }

  it('rejects text and empty files as not an image', async () => {
    assert.equal((await rejection(writeTemp(Buffer.from('<html>hello</html>'), 'page.jpg'))).reason, 'not-an-image')
    assert.equal((await rejection(writeTemp(Buffer.alloc(0), 'empty.jpg'))).reason, 'not-an-image')
  })

  for (const format of ['png', 'jpeg'] as const) {
    // From the header alone: the timing of that is bench/probe.ts's, not a test's.
    it(`refuses a ${format} decompression bomb by its header`, async () => {
      const error = await rejection(writeTemp(await makeBomb({ format }), `bomb.${format}`))
      assert.equal(error.reason, 'too-many-pixels')
    })
  }

  it('applies a caller-given pixel limit', async () => {
    const path = writeTemp(await makeJpeg({ width: 200, height: 100 }), 'limit.jpg')
    assert.equal((await rejection(path, { maxPixels: 19_999 })).reason, 'too-many-pixels')
    assert.equal((await probeImage(path, { maxPixels: 20_000 })).width, 200)
  })

  it('reports a truncated JPEG as corrupt', async () => {
    assert.equal((await rejection(writeTemp(await makeTruncatedJpeg(), 'cut.jpg'))).reason, 'corrupt')
  })

  it('accepts data appended after a JPEG EOI (motion photos)', async () => {
    const jpeg = await makeJpeg({ width: 64, height: 48 })
    const probed = await probeImage(writeTemp(Buffer.concat([jpeg, makeFakeVideo('mp4')]), 'motion.jpg'))
    assert.equal(probed.format, 'jpg')
  })

  it('reports a truncated PNG and a broken header as corrupt', async () => {
    const png = await makePng({ width: 200, height: 200 })
    const cases: [string, Buffer, RejectReason][] = [
      ['cut.png', png.subarray(0, png.length - 20), 'corrupt'],
      ['garbled.png', Buffer.concat([png.subarray(0, 8), Buffer.alloc(200, 0x11), Buffer.from('IEND')]), 'corrupt'],
      ['garbled.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00]), Buffer.alloc(64, 0x33)]), 'corrupt'],
    ]
    for (const [name, buf, reason] of cases) assert.equal((await rejection(writeTemp(buf, name))).reason, reason, name)
  })
})

describe('sniffContent', () => {
  it('does not take an ftyp audio file for a picture or a video', () => {
    const m4a = Buffer.from('\0\0\0\x14ftypM4A \0\0\0\0M4A ', 'latin1')
    assert.deepEqual(sniffContent(m4a), { kind: 'unknown' })
  })
})

describe('readExifDateTaken', () => {
  it('ignores garbage', () => {
    assert.equal(readExifDateTaken(Buffer.from('Exif\0\0nonsense')), undefined)
    assert.equal(readExifDateTaken(Buffer.alloc(0)), undefined)
  })
})
