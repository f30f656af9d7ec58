import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import sharp from 'sharp'
import type { Metadata } from 'sharp'

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
 * header or structure is broken.
 */
export async function probeImage(path: string, options: ProbeOptions = {}): Promise<ProbedImage> {
  const maxPixels = options.maxPixels ?? defaultMaxPixels
  const file = await open(path, 'r')
  let bytes: number
  let sniffed: Sniffed
  try {
    bytes = (await file.stat()).size
    const { buffer: head, bytesRead } = await file.read(Buffer.alloc(4096), 0, 4096, 0)
    sniffed = sniffContent(head.subarray(0, bytesRead))
    if (sniffed.kind === 'image') await checkComplete(file, sniffed.format, bytes)
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

/** Cheap truncation checks (an interrupted upload is the usual cause) for formats with end markers. */
async function checkComplete(file: FileHandle, format: ImageFormat, size: number): Promise<void> {
  if (format === 'png') {
    const tailSize = Math.min(size, 4096)
    const { buffer: tail } = await file.read(Buffer.alloc(tailSize), 0, tailSize, size - tailSize)
    if (tail.indexOf('IEND', 0, 'latin1') === -1) throw new ImageRejected('corrupt', 'PNG has no IEND chunk (truncated?)')
  } else if (format === 'jpg') {
    const { buffer: tail } = await file.read(Buffer.alloc(2), 0, 2, Math.max(0, size - 2))
    if (tail[0] === 0xff && tail[1] === 0xd9) return
    // Data may follow EOI (e.g. motion photos append a video): look for EOI after the first scan.
    const scanStart = await findJpegScanStart(file, size)
    if (!(await containsEoi(file, scanStart, size))) throw new ImageRejected('corrupt', 'JPEG has no EOI marker (truncated?)')
  }
}

async function findJpegScanStart(file: FileHandle, size: number): Promise<number> {
  const header = Buffer.alloc(4)
  let at = 2
  while (at + 4 <= size) {
    await file.read(header, 0, 4, at)
    if (header[0] !== 0xff) break
    const marker = header[1] ?? 0
    if (marker === 0xff) { at += 1; continue }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue }
    const length = header.readUInt16BE(2)
    if (marker === 0xd9 || length < 2) break
    if (marker === 0xda) return at + 2 + length
    at += 2 + length
  }
  throw new ImageRejected('corrupt', 'JPEG has no readable scan')
}

// Inside entropy-coded data 0xFF is always stuffed, so a 0xFFD9 there is a real EOI.
async function containsEoi(file: FileHandle, from: number, size: number): Promise<boolean> {
  const chunk = Buffer.alloc(1 << 20)
  let previousLast = 0
  for (let at = from; at < size; at += chunk.length) {
    const { bytesRead } = await file.read(chunk, 0, chunk.length, at)
    const data = chunk.subarray(0, bytesRead)
    if (previousLast === 0xff && data[0] === 0xd9) return true
    if (data.indexOf(Buffer.from([0xff, 0xd9])) !== -1) return true
    previousLast = data[bytesRead - 1] ?? 0
  }
  return false
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
