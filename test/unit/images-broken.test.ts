import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { ImageRejected, probeImage } from '../../src/images/probe.js'
import type { RejectReason } from '../../src/images/probe.js'
import { MAX_JPEG_HEADER_BYTES, MAX_JPEG_HEADER_SEGMENTS } from '../../src/images/file-structure.js'
import { renderSizes } from '../../src/images/render-sizes.js'
import {
  GIF_TRAILER,
  JPEG_EOI,
  cutAndEnd,
  emptyScanJpeg,
  garbleScan,
  makeGrainyJpeg,
  makeRestartJpeg,
  markerInScan,
  pngIend,
  restartJpegBlockValue,
} from '../helpers/broken-images.js'
import { makeAnimatedGif, makeFakeVideo, makeJpeg, makePng, writeTemp } from '../helpers/images.js'
import sharp from 'sharp'

type Outcome = 'ok' | RejectReason

let written = 0
/** What ingest makes of a file: the probe, then the one decode that renders the sizes. */
async function ingest(file: Buffer): Promise<Outcome> {
  const path = writeTemp(file, `broken-${written++}.img`)
  try {
    await probeImage(path)
    await renderSizes(path)
    return 'ok'
  } catch (error) {
    if (error instanceof ImageRejected) return error.reason
    throw error
  }
}

const fractions = [0.1, 0.3, 0.5, 0.7, 0.9]
const soi = Buffer.from([0xff, 0xd8])
const KiB = 1024

describe('broken images', () => {
  let jpeg: Buffer
  let flat: Buffer
  let progressive: Buffer
  let png: Buffer
  let gif: Buffer
  before(async () => {
    jpeg = await makeGrainyJpeg({ width: 640, height: 480, seed: 3 })
    flat = await makeJpeg({ width: 640, height: 480, seed: 3 })
    progressive = await makeGrainyJpeg({ width: 640, height: 480, seed: 4, progressive: true })
    png = await makePng({ width: 320, height: 240, seed: 5 })
    gif = await makeAnimatedGif({ width: 320, height: 240 }, 3)
  })

  const cases: [name: string, make: () => Buffer | Promise<Buffer>, expected: Outcome][] = [
    ['valid baseline JPEG', () => jpeg, 'ok'],
    ['valid progressive JPEG', () => progressive, 'ok'],
    ['JPEG with 64 KiB of other bytes after EOI', () => Buffer.concat([jpeg, Buffer.alloc(64 * KiB, 0x5a)]), 'ok'],
    ['JPEG with a video after EOI (motion photo)', () => Buffer.concat([progressive, makeFakeVideo('mp4')]), 'ok'],
    ['JPEG with 0xFF fill before EOI', () => Buffer.concat([jpeg.subarray(0, -2), Buffer.from([0xff, 0xff, 0xff]), JPEG_EOI]), 'ok'],
    // libjpeg warns "3 extraneous bytes before marker 0xdb", a harmless quirk of some writers.
    ['JPEG with stray bytes between header segments', () => Buffer.concat([jpeg.subarray(0, 20), Buffer.from([0, 0, 0]), jpeg.subarray(20)]), 'ok'],
    ['JPEG with restart markers every MCU', () => makeRestartJpeg({ restartInterval: 1 }), 'ok'],
    ['JPEG with restart markers every 4 MCUs', () => makeRestartJpeg({ restartInterval: 4 }), 'ok'],
    ['JPEG with a DRI segment that turns restarts off', () => makeRestartJpeg({ restartInterval: 0 }), 'ok'],
    ['JPEG with 0xFF fill before each RSTn', () => makeRestartJpeg({ restartInterval: 4, beforeRestart: Buffer.from([0xff, 0xff]) }), 'ok'],
    ['JPEG with zero padding before each RSTn', () => makeRestartJpeg({ restartInterval: 4, beforeRestart: Buffer.from([0, 0]) }), 'ok'],
    ...fractions.flatMap((f): typeof cases => [
      [`baseline JPEG cut at ${f * 100}%`, () => cutAndEnd(jpeg, f), 'corrupt'],
      [`baseline JPEG cut at ${f * 100}% + FF D9`, () => cutAndEnd(jpeg, f, JPEG_EOI), 'corrupt'],
      [`progressive JPEG cut at ${f * 100}% + FF D9`, () => cutAndEnd(progressive, f, JPEG_EOI), 'corrupt'],
    ]),
    ...[0.2, 0.5, 0.8].flatMap((f): typeof cases => [
      [`garbage over a flat-block scan at ${f * 100}% (bad Huffman codes)`, () => garbleScan(flat, f), 'corrupt'],
      [`a stray marker in the scan at ${f * 100}%`, () => markerInScan(jpeg, f), 'corrupt'],
      // Random bytes without 0xFF are valid entropy data under optimised Huffman tables: libjpeg
      // decodes them to a glitch without a warning, and nothing short of a checksum could tell.
      [`garbage over a grainy scan at ${f * 100}% (undetectable)`, () => garbleScan(jpeg, f), 'ok'],
    ]),
    ['zero-length scan (SOS then EOI)', () => emptyScanJpeg(jpeg), 'corrupt'],
    ['unknown marker 0xFF02 in the header', () => Buffer.concat([soi, Buffer.from([0xff, 0x02, 0, 4, 0, 0]), jpeg.subarray(2)]), 'corrupt'],
    ['SOS before any SOF', () => Buffer.concat([soi, Buffer.from([0xff, 0xda, 0, 2]), JPEG_EOI]), 'corrupt'],
    ['a restart interval without its RSTn marker', () => makeRestartJpeg({ restartInterval: 4, dropRestartAfter: 3 }), 'corrupt'],
    ['the first RSTn marker missing', () => makeRestartJpeg({ restartInterval: 16, dropRestartAfter: 0 }), 'corrupt'],
    ['valid PNG', () => png, 'ok'],
    ...fractions.flatMap((f): typeof cases => [
      [`PNG cut at ${f * 100}%`, () => cutAndEnd(png, f), 'corrupt'],
      [`PNG cut at ${f * 100}% + IEND`, () => cutAndEnd(png, f, pngIend(png)), 'corrupt'],
    ]),
    ['valid GIF', () => gif, 'ok'],
    ['GIF without its trailer byte', () => gif.subarray(0, -1), 'ok'],
    ...fractions.flatMap((f): typeof cases => [
      [`GIF cut at ${f * 100}%`, () => cutAndEnd(gif, f), 'corrupt'],
      [`GIF cut at ${f * 100}% + trailer`, () => cutAndEnd(gif, f, GIF_TRAILER), 'corrupt'],
    ]),
  ]
  for (const [name, make, expected] of cases) {
    it(`${name}: ${expected}`, async () => assert.equal(await ingest(await make()), expected))
  }

  it('rejects a cut JPEG big enough for shrink-on-load (libjpeg decodes it at 1/2 scale)', async () => {
    const big = await makeGrainyJpeg({ width: 4200, height: 2800, seed: 6 })
    assert.equal(await ingest(cutAndEnd(big, 0.5, JPEG_EOI)), 'corrupt')
  })

  it('renders restart-interval JPEGs with every block in place', async () => {
    const spec = { width: 256, height: 128, restartInterval: 3 }
    const { data, info } = await sharp(makeRestartJpeg(spec)).greyscale().raw().toBuffer({ resolveWithObject: true })
    for (let by = 0; by < info.height / 8; by++) {
      for (let bx = 0; bx < info.width / 8; bx++) {
        const level = data[(by * 8 + 4) * info.width + bx * 8 + 4]!
        assert.ok(Math.abs(level - restartJpegBlockValue(spec, bx, by)) <= 3, `block ${bx},${by} is ${level}`)
      }
    }
  })
})

describe('hostile JPEG headers are rejected by the probe', () => {
  async function probeReason(file: Buffer): Promise<RejectReason | 'ok'> {
    return probeImage(writeTemp(file, `hostile-${written++}.jpg`)).then(
      () => 'ok' as const,
      (error: unknown) => (error instanceof ImageRejected ? error.reason : Promise.reject(error)),
    )
  }
  const emptyApp1 = Buffer.from([0xff, 0xe1, 0x00, 0x02])
  let jpegTail: Buffer
  before(async () => {
    jpegTail = (await makeGrainyJpeg({ width: 64, height: 48 })).subarray(2)
  })
  const cases: [string, () => Buffer][] = [
    ['SOI + 256 KiB of 0xFF fill', () => Buffer.concat([soi, Buffer.alloc(256 * KiB, 0xff)])],
    ['SOI + 1 MiB of 0xFF fill', () => Buffer.concat([soi, Buffer.alloc(1024 * KiB, 0xff)])],
    ['SOI + fill past the header cap, then a real JPEG', () => Buffer.concat([soi, Buffer.alloc(MAX_JPEG_HEADER_BYTES, 0xff), Buffer.alloc(16, 0x11)])],
    ['SOI + 1 MiB of empty APP1 segments', () => Buffer.concat([soi, Buffer.alloc(1024 * KiB).fill(emptyApp1)])],
    // libjpeg's marker reader is quadratic in saved APPn segments: this one must never reach it.
    ['SOI + 1 MiB of empty APP1 segments + EOI', () => Buffer.concat([soi, Buffer.alloc(1024 * KiB).fill(emptyApp1), JPEG_EOI])],
    ['SOI + more segments than the cap, then a real JPEG', () => Buffer.concat([soi, Buffer.alloc(4 * (MAX_JPEG_HEADER_SEGMENTS + 1)).fill(emptyApp1), jpegTail])],
    ['SOI + a segment longer than the file', () => Buffer.concat([soi, Buffer.from([0xff, 0xe1, 0xff, 0xff]), Buffer.alloc(100)])],
  ]
  for (const [name, make] of cases) {
    it(`${name}: corrupt`, async () => assert.equal(await probeReason(make()), 'corrupt'))
  }

  it('still finds a scan after long 0xFF fill and many segments within the caps', async () => {
    const segments = Buffer.alloc(4 * (MAX_JPEG_HEADER_SEGMENTS - 100)).fill(emptyApp1)
    const padded = Buffer.concat([soi, segments, Buffer.alloc(512 * KiB, 0xff), jpegTail])
    assert.equal(await probeReason(padded), 'ok')
    assert.equal(await probeReason(Buffer.concat([padded, Buffer.alloc(8)])), 'ok', 'with bytes after EOI')
  })
})
