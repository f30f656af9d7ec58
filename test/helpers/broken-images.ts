// Damaged and quirky image files for the "hostile input" tests: cuts, appended end markers, garbage,
// and a minimal baseline JPEG encoder for restart intervals (sharp cannot write RST markers).
import sharp from 'sharp'
import { blockPattern } from './images.js'

/** A photo-like JPEG (gradient plus grain) whose scan data is most of the file, as in camera files. */
export async function makeGrainyJpeg(options: { width?: number; height?: number; seed?: number; progressive?: boolean } = {}): Promise<Buffer> {
  const width = options.width ?? 640
  const height = options.height ?? 480
  const data = Buffer.alloc(width * height * 3)
  let state = (options.seed ?? 1) * 0x9e3779b1
  for (let i = 0; i < data.length; i++) {
    state = (state ^ (state << 13)) >>> 0
    state = (state ^ (state >>> 17)) >>> 0
    state = (state ^ (state << 5)) >>> 0
    const pixel = Math.floor(i / 3)
    const base = ((pixel % width) / width) * 140 + (Math.floor(pixel / width) / height) * 60
    data[i] = Math.max(0, Math.min(255, 40 + base + (state % 30) - 15))
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90, progressive: options.progressive ?? false }).toBuffer()
}

/** The first `fraction` of `file`, then `end` (e.g. FF D9): what an interrupted upload "repaired" by a tool leaves. */
export function cutAndEnd(file: Buffer, fraction: number, end: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([file.subarray(0, Math.floor(file.length * fraction)), end])
}

export const JPEG_EOI = Buffer.from([0xff, 0xd9])
export const GIF_TRAILER = Buffer.from([0x3b])

/** A PNG's last chunk (IEND, 12 bytes with its CRC). */
export const pngIend = (png: Buffer): Buffer => png.subarray(png.length - 12)

/** Offset of a JPEG's first entropy-coded byte (just after the first SOS segment). */
export function jpegScanStart(jpeg: Buffer): number {
  for (let at = 2; at + 4 <= jpeg.length; ) {
    const marker = jpeg[at + 1]
    const length = jpeg.readUInt16BE(at + 2)
    if (marker === 0xda) return at + 2 + length
    at += 2 + length
  }
  throw new Error('no SOS in this JPEG')
}

/** `count` pseudo-random bytes (never 0xFF, so no marker is made) written over the scan at `fraction` of it. */
export function garbleScan(jpeg: Buffer, fraction: number, count = 64, seed = 1): Buffer {
  const out = Buffer.from(jpeg)
  const scan = jpegScanStart(jpeg)
  const from = scan + Math.floor((jpeg.length - 2 - scan) * fraction)
  let state = seed
  for (let i = 0; i < count && from + i < out.length - 2; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    out[from + i] = (state >>> 16) % 255
  }
  return out
}

/** A stray marker (FF 1F, neither stuffing nor RSTn) written into the scan at `fraction` of it: a hole in the data. */
export function markerInScan(jpeg: Buffer, fraction: number): Buffer {
  const out = Buffer.from(jpeg)
  const scan = jpegScanStart(jpeg)
  const at = scan + Math.floor((jpeg.length - 2 - scan) * fraction)
  out[at] = 0xff
  out[at + 1] = 0x1f
  return out
}

/** The header (SOI up to and including SOS) followed at once by EOI: a scan with no data at all. */
export const emptyScanJpeg = (jpeg: Buffer): Buffer => Buffer.concat([jpeg.subarray(0, jpegScanStart(jpeg)), JPEG_EOI])

export interface RestartJpegSpec {
  readonly width?: number
  readonly height?: number
  readonly seed?: number
  /** MCUs per restart interval (a DRI segment is written whenever this is given; 0 = DRI present but off). */
  readonly restartInterval?: number
  /** Bytes written just before each RSTn marker (0xFF fill is legal padding, anything else is a quirk). */
  readonly beforeRestart?: Buffer
  /** Leave out the RSTn marker after this interval (0-based): a damaged file. */
  readonly dropRestartAfter?: number
}

/** Grey level of the 8×8 block at (bx, by) in makeRestartJpeg's output, from the shared block pattern. */
export function restartJpegBlockValue(spec: RestartJpegSpec, bx: number, by: number): number {
  const cells = blockPattern(spec.seed ?? 1)
  const blocksX = (spec.width ?? 128) / 8
  const blocksY = (spec.height ?? 96) / 8
  return cells[Math.floor((by * 8) / blocksY) * 8 + Math.floor((bx * 8) / blocksX)] ? 200 : 40
}

/**
 * A valid baseline greyscale JPEG made of flat 8×8 blocks, encoded by hand so it can carry restart
 * markers. Flat blocks need no DCT: with every quantiser 8, the DC coefficient is the level - 128 and
 * every block's AC part is a lone EOB. Width and height must be multiples of 8.
 */
export function makeRestartJpeg(spec: RestartJpegSpec = {}): Buffer {
  const width = spec.width ?? 128
  const height = spec.height ?? 96
  const interval = spec.restartInterval ?? 0
  const dcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0] // Annex K.3 luminance DC table
  const dcCodes = canonicalCodes(dcCounts)
  const segment = (marker: number, body: number[]): number[] => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]
  const header = [
    0xff, 0xd8,
    ...segment(0xdb, [0x00, ...Array<number>(64).fill(8)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...dcCounts, ...dcCodes.map((_, symbol) => symbol), 0x10, 1, ...Array<number>(15).fill(0), 0x00]),
    ...(spec.restartInterval === undefined ? [] : segment(0xdd, [interval >> 8, interval & 0xff])),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
  ]
  const bits = new BitWriter()
  const blocksX = width / 8
  const total = blocksX * (height / 8)
  let predictor = 0
  for (let mcu = 0; mcu < total; mcu++) {
    const dc = restartJpegBlockValue(spec, mcu % blocksX, Math.floor(mcu / blocksX)) - 128
    const diff = dc - predictor
    const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1
    const code = dcCodes[category]!
    bits.write(code.code, code.length)
    bits.write(diff >= 0 ? diff : diff + (1 << category) - 1, category)
    bits.write(0, 1) // EOB: the AC table's only code
    predictor = dc
    const restartDue = interval > 0 && (mcu + 1) % interval === 0 && mcu + 1 < total
    if (restartDue) {
      bits.alignWithOnes()
      const index = (mcu + 1) / interval - 1
      if (index !== spec.dropRestartAfter) bits.raw([...(spec.beforeRestart ?? []), 0xff, 0xd0 + (index % 8)])
      predictor = 0
    }
  }
  bits.alignWithOnes()
  return Buffer.from([...header, ...bits.bytes, 0xff, 0xd9])
}

/** JPEG Annex C.2: codes of each length are consecutive, and the next length starts at (last + 1) << 1. */
function canonicalCodes(counts: readonly number[]): { code: number; length: number }[] {
  const codes: { code: number; length: number }[] = []
  let code = 0
  counts.forEach((count, index) => {
    for (let i = 0; i < count; i++) codes.push({ code: code++, length: index + 1 })
    code <<= 1
  })
  return codes
}

class BitWriter {
  readonly bytes: number[] = []
  private pending = 0
  private pendingBits = 0

  write(value: number, length: number): void {
    for (let bit = length - 1; bit >= 0; bit--) {
      this.pending = (this.pending << 1) | ((value >> bit) & 1)
      if (++this.pendingBits === 8) {
        // Byte stuffing (F.1.2.3): a 0xFF in entropy-coded data is followed by 0x00.
        this.bytes.push(this.pending, ...(this.pending === 0xff ? [0] : []))
        this.pending = 0
        this.pendingBits = 0
      }
    }
  }

  /** Pads to a byte boundary with 1-bits, as before a marker (F.1.2.3). */
  alignWithOnes(): void {
    while (this.pendingBits !== 0) this.write(1, 1)
  }

  raw(bytes: readonly number[]): void {
    this.bytes.push(...bytes)
  }
}
