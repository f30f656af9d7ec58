// Real image bytes for tests, made with sharp. Content is a seeded grid of dark/bright blocks so that
// different seeds give perceptually different images (see image-fingerprint.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import type { Sharp } from 'sharp'

export interface ImageSpec {
  readonly width?: number
  readonly height?: number
  /** Picks the block pattern; different seeds look different. */
  readonly seed?: number
  /** Tint of the bright blocks, as [r, g, b]. */
  readonly color?: readonly [number, number, number]
}

export interface JpegSpec extends ImageSpec {
  /** EXIF Orientation (1..8); the pixels are stored as given, the tag says how to display them. */
  readonly orientation?: number
  /** EXIF DateTimeOriginal in EXIF form, 'YYYY:MM:DD HH:MM:SS'. */
  readonly exifDate?: string
  readonly quality?: number
}

const grid = 8

function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A seeded grid×grid pattern of booleans (true = bright) with both values present. */
export function blockPattern(seed: number): boolean[] {
  const random = mulberry32(seed)
  const cells = Array.from({ length: grid * grid }, () => random() < 0.5)
  cells[0] = true
  cells[cells.length - 1] = false
  return cells
}

/** Raw interleaved pixels: 8-bit by default, 16-bit (native endian) with `depth16`. */
function pixels(spec: ImageSpec, channels: 3 | 4, depth16 = false): { data: Buffer; width: number; height: number } {
  const width = spec.width ?? 64
  const height = spec.height ?? 48
  const cells = blockPattern(spec.seed ?? 1)
  const [r, g, b] = spec.color ?? [230, 220, 200]
  const scale = depth16 ? 257 : 1
  const data = depth16 ? Buffer.alloc(width * height * channels * 2) : Buffer.alloc(width * height * channels)
  const view = depth16 ? new Uint16Array(data.buffer, data.byteOffset, width * height * channels) : data
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bright = cells[Math.floor((y * grid) / height) * grid + Math.floor((x * grid) / width)]
      const at = (y * width + x) * channels
      view[at] = (bright ? r : 25) * scale
      view[at + 1] = (bright ? g : 30) * scale
      view[at + 2] = (bright ? b : 40) * scale
      // Alpha: the left quarter is fully transparent, to show flattening on white.
      if (channels === 4) view[at + 3] = (x < width / 4 ? 0 : 255) * scale
    }
  }
  return { data, width, height }
}

function fromPixels(spec: ImageSpec, channels: 3 | 4 = 3): Sharp {
  const { data, width, height } = pixels(spec, channels)
  return sharp(data, { raw: { width, height, channels } })
}

export async function makeJpeg(spec: JpegSpec = {}): Promise<Buffer> {
  let image = fromPixels(spec).jpeg({ quality: spec.quality ?? 90 })
  if (spec.orientation !== undefined) image = image.withMetadata({ orientation: spec.orientation })
  // IFD2 is libexif's name for the Exif sub-IFD, where DateTimeOriginal lives.
  if (spec.exifDate !== undefined) image = image.withExifMerge({ IFD0: { Make: 'Retake test' }, IFD2: { DateTimeOriginal: spec.exifDate } })
  return image.toBuffer()
}

export async function makePng(spec: ImageSpec & { bitDepth16?: boolean; alpha?: boolean } = {}): Promise<Buffer> {
  const channels = spec.alpha ? 4 : 3
  if (!spec.bitDepth16) return fromPixels(spec, channels).png().toBuffer()
  const { data, width, height } = pixels(spec, channels, true)
  // A Uint16Array input tells sharp the raw samples are 16-bit.
  const samples = new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
  return sharp(samples, { raw: { width, height, channels } }).toColourspace('rgb16').png().toBuffer()
}

export async function makeCmykJpeg(spec: ImageSpec = {}): Promise<Buffer> {
  return fromPixels(spec).toColourspace('cmyk').jpeg({ quality: 90 }).toBuffer()
}

/** An animated GIF whose first frame is `spec`'s pattern and whose later frames use other seeds. */
export async function makeAnimatedGif(spec: ImageSpec = {}, frames = 3): Promise<Buffer> {
  const first = spec.seed ?? 1
  const parts = Array.from({ length: frames }, (_, i) => pixels({ ...spec, seed: first + i * 101 }, 4).data)
  const width = spec.width ?? 64
  const height = spec.height ?? 48
  return sharp(Buffer.concat(parts), { raw: { width, height: height * frames, channels: 4, pageHeight: height } })
    .gif({ delay: Array.from({ length: frames }, () => 100) })
    .toBuffer()
}

export async function makeWebp(spec: ImageSpec = {}): Promise<Buffer> {
  return fromPixels(spec).webp({ quality: 90 }).toBuffer()
}

export async function makeTiff(spec: ImageSpec = {}): Promise<Buffer> {
  return fromPixels(spec).tiff().toBuffer()
}

/** AVIF: the prebuilt sharp encodes AV1 HEIF only (no HEVC, so no real HEIC). */
export async function makeAvif(spec: ImageSpec = {}): Promise<Buffer> {
  return fromPixels(spec).avif({ quality: 70 }).toBuffer()
}

/** An AVIF relabelled with HEIC brands: exercises HEIC sniffing, while the codec stays AV1. */
export async function makeHeicBranded(spec: ImageSpec = {}): Promise<Buffer> {
  const avif = Buffer.from(await makeAvif(spec))
  const boxEnd = avif.readUInt32BE(0)
  for (let at = 8; at + 4 <= boxEnd; at += 4) {
    const brand = avif.toString('latin1', at, at + 4)
    if (brand === 'avif' || brand === 'avis') avif.write('heic', at, 'latin1')
  }
  return avif
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(data: Buffer): number {
  let crc = 0xffffffff
  for (const byte of data) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/**
 * A decompression bomb: a valid small image whose header claims width×height (default 30000²).
 * PNG: IHDR rewritten with its CRC recomputed. JPEG: the SOF dimensions patched.
 */
export async function makeBomb(options: { format?: 'png' | 'jpeg'; width?: number; height?: number } = {}): Promise<Buffer> {
  const width = options.width ?? 30000
  const height = options.height ?? 30000
  if (options.format === 'jpeg') {
    const jpeg = Buffer.from(await makeJpeg({ width: 16, height: 16 }))
    for (let at = 2; at + 9 < jpeg.length; ) {
      const marker = jpeg[at + 1] ?? 0
      if (marker >= 0xc0 && marker <= 0xc2) {
        jpeg.writeUInt16BE(Math.min(height, 0xffff), at + 5)
        jpeg.writeUInt16BE(Math.min(width, 0xffff), at + 7)
        return jpeg
      }
      at += 2 + jpeg.readUInt16BE(at + 2)
    }
    throw new Error('no SOF marker found')
  }
  const png = Buffer.from(await makePng({ width: 16, height: 16 }))
  // Signature (8) + length (4) + 'IHDR' (4), then width and height.
  png.writeUInt32BE(width, 16)
  png.writeUInt32BE(height, 20)
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29)
  return png
}

export type FakeVideoKind = 'mp4' | 'mov' | 'webm' | 'avi' | 'mpeg-ts' | 'flv'

/** Just enough container bytes for content sniffing; not playable. */
export function makeFakeVideo(kind: FakeVideoKind = 'mp4'): Buffer {
  const box = (type: string, body: Buffer): Buffer => {
    const header = Buffer.alloc(8)
    header.writeUInt32BE(8 + body.length, 0)
    header.write(type, 4, 'latin1')
    return Buffer.concat([header, body])
  }
  const filler = Buffer.alloc(512, 0x5a)
  switch (kind) {
    case 'mp4':
    case 'mov': {
      const brands = kind === 'mp4' ? ['isom', 'iso2', 'avc1', 'mp41'] : ['qt  ']
      const ftypBody = Buffer.concat([Buffer.from(brands[0] ?? '', 'latin1'), Buffer.alloc(4), Buffer.from(brands.join(''), 'latin1')])
      return Buffer.concat([box('ftyp', ftypBody), box('mdat', filler)])
    }
    case 'webm':
      return Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01]), Buffer.from('webm', 'latin1'), filler])
    case 'avi': {
      const riff = Buffer.from('RIFF\0\0\0\0AVI LIST', 'latin1')
      riff.writeUInt32LE(filler.length + 8, 4)
      return Buffer.concat([riff, filler])
    }
    case 'mpeg-ts': {
      const packet = Buffer.alloc(188, 0xff)
      packet[0] = 0x47
      return Buffer.concat([packet, packet, packet, packet])
    }
    case 'flv':
      return Buffer.concat([Buffer.from([0x46, 0x4c, 0x56, 0x01, 0x05, 0, 0, 0, 9]), filler])
  }
}

/** A real JPEG cut at `fraction` of its length, as an interrupted upload leaves it. */
export async function makeTruncatedJpeg(fraction = 0.6): Promise<Buffer> {
  const jpeg = await makeJpeg({ width: 640, height: 480, seed: 7 })
  return jpeg.subarray(0, Math.floor(jpeg.length * fraction))
}

let tempDir: string | undefined

/** Writes `buf` to a per-process temp directory (removed at exit) and returns the path. */
export function writeTemp(buf: Buffer, name: string): string {
  if (tempDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'retake-images-'))
    tempDir = dir
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  }
  const path = join(tempDir, name)
  writeFileSync(path, buf)
  return path
}
