import type { ChunkedReader } from './chunked-reader.js'
import { ImageRejected } from './image-rejected.js'
import type { ImageFormat } from './image-rejected.js'

/**
 * A JPEG's first scan must start within this many bytes, or the probe calls it corrupt without
 * reading further. Camera headers (EXIF, ICC chunks, MPF, extended XMP with depth maps) stay well
 * under 1 MiB in practice; 16 MiB leaves room for odd writers while bounding the walk of a hostile
 * header (0xFF fill is legal padding before a marker, and it counts against this cap too).
 */
export const MAX_JPEG_HEADER_BYTES = 16 * 1024 * 1024

/**
 * At most this many marker segments before the first scan. Real headers hold tens (an ICC profile
 * has at most 255 chunks); libjpeg appends each saved APPn segment by walking its list, so a header
 * of a million tiny APP1 segments costs it seconds of a pool thread (quadratic) if it ever sees one.
 */
export const MAX_JPEG_HEADER_SEGMENTS = 4096

/** How many bytes at the end of a PNG are searched for its IEND chunk. */
const PNG_TAIL_BYTES = 4096

/**
 * Cheap structure checks, without decoding pixels, for formats whose end can be told from their
 * framing: an interrupted upload is the usual cause, a hostile file the other. Runs in time linear in
 * the bytes it reads, a chunk per read. Throws ImageRejected('corrupt').
 */
export async function checkStructure(reader: ChunkedReader, format: ImageFormat): Promise<void> {
  if (format === 'png') await checkPngEnd(reader)
  else if (format === 'jpg') await checkJpegEnd(reader)
  else if (format === 'gif') await checkGifBlocks(reader)
}

// Pixel completeness is the decoder's to judge (render-sizes decodes strictly); this catches a file
// cut short without any end marker, before any decode is spent on it.
async function checkPngEnd(reader: ChunkedReader): Promise<void> {
  const tailSize = Math.min(reader.size, PNG_TAIL_BYTES)
  const tail = await reader.load(reader.size - tailSize, tailSize)
  if (tail.indexOf('IEND', 0, 'latin1') === -1) throw new ImageRejected('corrupt', 'PNG has no IEND chunk (truncated?)')
}

// The header is walked whatever the tail: it bounds what libjpeg's own marker reader is given.
async function checkJpegEnd(reader: ChunkedReader): Promise<void> {
  const scanStart = await findJpegScanStart(reader)
  const tail = await reader.bytes(Math.max(0, reader.size - 2), 2)
  if (tail?.[0] === 0xff && tail[1] === 0xd9) return
  // Data may follow EOI (e.g. motion photos append a video): look for EOI after the first scan.
  if (!(await containsEoi(reader, scanStart))) throw new ImageRejected('corrupt', 'JPEG has no EOI marker (truncated?)')
}

/**
 * Offset of the first scan's entropy-coded data: walks the marker segments from SOI up to SOS within
 * MAX_JPEG_HEADER_BYTES and MAX_JPEG_HEADER_SEGMENTS. Stray bytes between segments are skipped as
 * libjpeg skips them (with a warning it treats as harmless), so both agree on what a header is.
 */
async function findJpegScanStart(reader: ChunkedReader): Promise<number> {
  const limit = Math.min(reader.size, MAX_JPEG_HEADER_BYTES)
  let at = 2
  let segments = 0
  for (; at < limit && segments < MAX_JPEG_HEADER_SEGMENTS; segments++) {
    // Synchronous while buffered: a chain of tiny segments costs one await per chunk, not per segment.
    if (!reader.has(at, 4) && !(await reader.ensure(at, 4))) break
    if (reader.byteAt(at) !== 0xff) {
      at = await reader.findByte(at, 0xff, limit)
      continue
    }
    const marker = reader.byteAt(at + 1)
    if (marker === 0xff) {
      // Fill bytes before a marker (B.1.1.2): skip the run in one pass; `at` lands on its last 0xFF.
      const next = await reader.skipByte(at + 1, 0xff, limit)
      at = next >= limit ? limit : next - 1
    } else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2
    } else if (marker === 0xd8 || marker === 0xd9) {
      break
    } else if (marker === 0xda) {
      return at + 2 + reader.uint16At(at + 2)
    } else {
      // A length under 2 is invalid; libjpeg then reads on after the two length bytes, and so do we.
      at += 2 + Math.max(2, reader.uint16At(at + 2))
    }
  }
  if (segments >= MAX_JPEG_HEADER_SEGMENTS) throw new ImageRejected('corrupt', `JPEG has no scan within its first ${MAX_JPEG_HEADER_SEGMENTS} segments`)
  if (at >= MAX_JPEG_HEADER_BYTES) throw new ImageRejected('corrupt', `JPEG has no scan within its first ${MAX_JPEG_HEADER_BYTES} bytes`)
  throw new ImageRejected('corrupt', 'JPEG has no readable scan')
}

// Inside entropy-coded data 0xFF is always stuffed, so a 0xFFD9 there is a real EOI.
async function containsEoi(reader: ChunkedReader, from: number): Promise<boolean> {
  const eoi = Buffer.from([0xff, 0xd9])
  let previousLast = 0
  for (let at = from; at < reader.size; ) {
    const data = await reader.load(at, reader.chunkBytes)
    if (data.length === 0) return false
    if (previousLast === 0xff && data[0] === 0xd9) return true
    if (data.indexOf(eoi) !== -1) return true
    previousLast = data[data.length - 1] ?? 0
    at += data.length
  }
  return false
}

/**
 * Walks a GIF's blocks (GIF89a §17-§27): extensions and images are chains of sub-blocks, so a file
 * cut inside one, with or without a trailer byte appended, runs out of bytes mid-chain. A file that
 * ends right after a complete block without the trailer is accepted, as browsers and encoders do.
 */
async function checkGifBlocks(reader: ChunkedReader): Promise<void> {
  const screen = await reader.bytes(0, 13)
  if (screen === undefined) throw gifTruncated()
  let at = 13 + colourTableBytes(screen[10] ?? 0)
  let images = 0
  for (;;) {
    const introducer = reader.has(at, 1) || (await reader.ensure(at, 1)) ? reader.byteAt(at) : undefined
    if (introducer === undefined || introducer === 0x3b) {
      if (images > 0) return
      throw new ImageRejected('corrupt', 'GIF has no image')
    }
    if (introducer === 0x21) {
      at = await skipSubBlocks(reader, at + 2)
    } else if (introducer === 0x2c) {
      const descriptor = await reader.bytes(at, 10)
      if (descriptor === undefined) throw gifTruncated()
      // Descriptor, local colour table, then the LZW minimum code size byte before the data.
      at = await skipSubBlocks(reader, at + 10 + colourTableBytes(descriptor[9] ?? 0) + 1)
      images++
    } else {
      throw new ImageRejected('corrupt', `GIF has an unknown block 0x${introducer.toString(16)} at offset ${at}`)
    }
  }
}

const colourTableBytes = (packed: number): number => (packed & 0x80 ? 3 << ((packed & 0x07) + 1) : 0)

async function skipSubBlocks(reader: ChunkedReader, from: number): Promise<number> {
  let at = from
  for (;;) {
    if (!reader.has(at, 1) && !(await reader.ensure(at, 1))) throw gifTruncated()
    const length = reader.byteAt(at)
    if (length === 0) return at + 1
    at += 1 + length
  }
}

const gifTruncated = (): ImageRejected => new ImageRejected('corrupt', 'GIF ends inside a block (truncated?)')
