import { open } from 'node:fs/promises'
import sharp from 'sharp'
import type { Metadata } from 'sharp'
import { ChunkedReader } from './chunked-reader.js'
import { checkStructure } from './file-structure.js'
import { ImageRejected } from './image-rejected.js'
import type { ImageFormat, VideoContainer } from './image-rejected.js'

export { ImageRejected } from './image-rejected.js'
export type { ImageFormat, RejectReason, VideoContainer } from './image-rejected.js'

export interface ProbedImage {
  readonly format: ImageFormat
  /** Displayed dimensions, i.e. after EXIF orientation. */
  readonly width: number
  readonly height: number
  readonly orientation: number
  readonly pages: number
  readonly hasAlpha: boolean
  /** EXIF DateTimeOriginal as 'YYYY-MM-DD HH:MM:SS' (Flickr's taken format), when present and valid. */
  readonly dateTaken?: string
  readonly bytes: number
}

export interface ProbeOptions {
  /** Refuse images whose width*height exceeds this, before any pixel is decoded. */
  readonly maxPixels?: number
}

/** sharp's own limitInputPixels default (0x3FFF * 0x3FFF). */
export const defaultMaxPixels = 268402689

type Sniffed = { kind: 'image'; format: ImageFormat } | { kind: 'video'; container: VideoContainer } | { kind: 'unknown' }

const heicBrands = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs'])
const avifBrands = new Set(['avif', 'avis'])
const genericHeifBrands = new Set(['mif1', 'msf1', 'mif2', 'miaf'])
const videoBrands = new Set([
  'isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'mp71', 'avc1', 'dash', 'qt  ',
  'M4V ', 'M4VH', 'M4VP', '3gp4', '3gp5', '3gp6', '3g2a', '3g2b', '3g2c', '3ge6', '3gg6', 'f4v ',
  'f4p ', 'mmp4', 'MSNV', 'XAVC', 'kddi',
])
// Old QuickTime files may start with one of these atoms instead of `ftyp`.
const quickTimeAtoms = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'])

const ascii = (buf: Buffer, start: number, end: number): string => buf.toString('latin1', start, end)

/** Decides what a file is from its first bytes (at least 4 KiB when the file has them). */
export function sniffContent(head: Buffer): Sniffed {
  const starts = (...bytes: number[]): boolean => bytes.every((b, i) => head[i] === b)
  if (starts(0xff, 0xd8, 0xff)) return { kind: 'image', format: 'jpg' }
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { kind: 'image', format: 'png' }
  const tag4 = ascii(head, 0, 4)
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return { kind: 'image', format: 'gif' }
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a) || starts(0x49, 0x49, 0x2b, 0x00)) {
    return { kind: 'image', format: 'tiff' }
  }
  if (tag4 === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return { kind: 'image', format: 'webp' }
  if (tag4 === 'RIFF' && ascii(head, 8, 12) === 'AVI ') return { kind: 'video', container: 'avi' }
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') return sniffFtyp(head)
  if (head.length >= 8 && quickTimeAtoms.has(ascii(head, 4, 8))) return { kind: 'video', container: 'quicktime' }
  if (starts(0x1a, 0x45, 0xdf, 0xa3)) return { kind: 'video', container: 'matroska' }
  if (tag4 === 'FLV\x01') return { kind: 'video', container: 'flv' }
  if (starts(0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11)) return { kind: 'video', container: 'asf' }
  if (starts(0x00, 0x00, 0x01, 0xba) || starts(0x00, 0x00, 0x01, 0xb3)) return { kind: 'video', container: 'mpeg-ps' }
  // MPEG-TS: a 0x47 sync byte every 188 bytes (M2TS/AVCHD: 192-byte packets with a 4-byte prefix).
  for (const [first, step] of [[0, 188], [4, 192]] as const) {
    if ([0, 1, 2].every((i) => head[first + i * step] === 0x47)) return { kind: 'video', container: 'mpeg-ts' }
  }
  return { kind: 'unknown' }
}

function sniffFtyp(head: Buffer): Sniffed {
  const boxEnd = Math.min(head.readUInt32BE(0), head.length)
  const major = ascii(head, 8, 12)
  const compatible: string[] = []
  for (let at = 16; at + 4 <= boxEnd; at += 4) compatible.push(ascii(head, at, at + 4))
  if (heicBrands.has(major)) return { kind: 'image', format: 'heic' }
  if (avifBrands.has(major)) return { kind: 'image', format: 'avif' }
  if (genericHeifBrands.has(major) || compatible.some((b) => genericHeifBrands.has(b))) {
    return { kind: 'image', format: compatible.some((b) => avifBrands.has(b)) ? 'avif' : 'heic' }
  }
  if (videoBrands.has(major) || compatible.some((b) => videoBrands.has(b))) {
    return { kind: 'video', container: major === 'qt  ' ? 'quicktime' : 'mp4' }
  }
  return { kind: 'unknown' }
}

/**
 * Identifies and measures an image by its content only (never its name or declared type), without
 * decoding pixels. Throws ImageRejected for videos, non-images, decompression bombs and files whose
 * header or structure is broken (see file-structure.ts; missing pixel data is found by the decode).
 */
export async function probeImage(path: string, options: ProbeOptions = {}): Promise<ProbedImage> {
  const maxPixels = options.maxPixels ?? defaultMaxPixels
  const file = await open(path, 'r')
  let bytes: number
  let sniffed: Sniffed
  try {
    bytes = (await file.stat()).size
    const reader = new ChunkedReader(file, bytes)
    sniffed = sniffContent(await reader.load(0, 4096))
    if (sniffed.kind === 'image') await checkStructure(reader, sniffed.format)
  } finally {
    await file.close()
  }
  if (sniffed.kind === 'video') {
    throw new ImageRejected('video', `video content (${sniffed.container})`, { container: sniffed.container })
  }
  if (sniffed.kind === 'unknown') throw new ImageRejected('not-an-image', 'content is not a recognised image')

  let meta: Metadata
  try {
    // limitInputPixels off here: the limit is checked below so that a bomb gets its own reason.
    meta = await sharp(path, { limitInputPixels: false }).metadata()
  } catch (cause) {
    if (sniffed.format === 'heic') throw new ImageRejected('unsupported', 'HEIF image this build cannot read', { cause })
    throw new ImageRejected('corrupt', `unreadable ${sniffed.format} header`, { cause })
  }
  if (!(meta.width > 0 && meta.height > 0)) throw new ImageRejected('corrupt', 'image has no dimensions')
  if (meta.width * meta.height > maxPixels) {
    throw new ImageRejected('too-many-pixels', `${meta.width}x${meta.height} exceeds ${maxPixels} pixels`)
  }
  const format = sniffed.format === 'heic' || sniffed.format === 'avif' ? heifFormat(sniffed.format, meta) : sniffed.format
  const dateTaken = meta.exif ? readExifDateTaken(meta.exif) : undefined
  return {
    format,
    width: meta.autoOrient.width,
    height: meta.autoOrient.height,
    orientation: meta.orientation ?? 1,
    pages: meta.pages ?? 1,
    hasAlpha: meta.hasAlpha,
    ...(dateTaken === undefined ? {} : { dateTaken }),
    bytes,
  }
}

// Brands decide; the codec only settles files that carry no specific brand.
function heifFormat(sniffed: 'heic' | 'avif', meta: Metadata): ImageFormat {
  if (meta.compression === 'av1' && sniffed === 'heic') return 'avif'
  return sniffed
}

/** Reads EXIF DateTimeOriginal (tag 0x9003 in the Exif IFD) from an EXIF blob as given by sharp. */
export function readExifDateTaken(exif: Buffer): string | undefined {
  const tiff = ascii(exif, 0, 6) === 'Exif\0\0' ? exif.subarray(6) : exif
  if (tiff.length < 8) return undefined
  const little = ascii(tiff, 0, 2) === 'II'
  if (!little && ascii(tiff, 0, 2) !== 'MM') return undefined
  const u16 = (at: number): number => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at))
  const u32 = (at: number): number => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at))
  const findEntry = (ifd: number, tag: number): number | undefined => {
    if (ifd + 2 > tiff.length) return undefined
    const count = u16(ifd)
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12
      if (entry + 12 > tiff.length) return undefined
      if (u16(entry) === tag) return entry
    }
    return undefined
  }
  const exifPointer = findEntry(u32(4), 0x8769)
  if (exifPointer === undefined) return undefined
  const entry = findEntry(u32(exifPointer + 8), 0x9003)
  if (entry === undefined || u16(entry + 2) !== 2) return undefined
  const length = u32(entry + 4)
  const start = length <= 4 ? entry + 8 : u32(entry + 8)
  if (start + length > tiff.length) return undefined
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(ascii(tiff, start, start + length))
  if (match === null) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number]
  // Cameras without a set clock write zeros; that is "unknown", not a date.
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined
  return `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6]}`
}
