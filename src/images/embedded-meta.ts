import exifr from 'exifr'

// What a file says about itself (Shotwell and Lightroom send tags only inside the file): IPTC keywords
// and XMP dc:subject become tags, the embedded title and description fill empty upload fields.

export interface EmbeddedMeta {
  keywords: string[]
  title?: string
  description?: string
}

type Block = Record<string, unknown>

/** Reads IPTC and XMP from a file; any parse failure counts as "nothing embedded" (upload must not fail on it). */
export async function readEmbeddedMeta(path: string): Promise<EmbeddedMeta> {
  const parsed = (await exifr.parse(path, { iptc: true, xmp: true, tiff: true, ifd0: {}, exif: false, gps: false, mergeOutput: false }).catch(() => undefined)) as Record<string, Block> | undefined
  if (!parsed) return { keywords: [] }
  const iptc = parsed.iptc ?? {}
  const dc = parsed.dc ?? parsed.xmp ?? {}
  const keywords = [...texts(iptc.Keywords), ...texts(dc.subject)]
  const title = first(iptc.ObjectName, dc.title, iptc.Headline)
  const description = first(iptc.Caption, dc.description, parsed.ifd0?.ImageDescription)
  return { keywords: [...new Set(keywords)], title, description }
}

/** XMP language alternatives come as `{ lang, value }` (or a list of them); IPTC as strings or lists. */
function texts(value: unknown): string[] {
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return value.flatMap(texts)
  if (typeof value === 'object' && 'value' in value) return texts((value as { value: unknown }).value)
  const text = String(value).trim()
  return text ? [text] : []
}

function first(...values: unknown[]): string | undefined {
  for (const value of values) {
    const [text] = texts(value)
    if (text) return text
  }
  return undefined
}

/** The original's EXIF for photos.getExif: grouped as ExifTool names them (IFD0, ExifIFD, GPS). */
export async function readExif(data: Buffer): Promise<{ tagspace: string; tag: string; value: unknown }[]> {
  const parsed = (await exifr.parse(data, { tiff: true, ifd0: {}, exif: true, gps: true, ifd1: false, mergeOutput: false, translateValues: true, reviveValues: false }).catch(() => undefined)) as
    | Record<string, Block>
    | undefined
  if (!parsed) return []
  const spaces: Record<string, string> = { ifd0: 'IFD0', exif: 'ExifIFD', gps: 'GPS' }
  const out: { tagspace: string; tag: string; value: unknown }[] = []
  for (const [block, tagspace] of Object.entries(spaces)) {
    for (const [tag, value] of Object.entries(parsed[block] ?? {})) {
      if (value instanceof Uint8Array || (typeof value === 'object' && value !== null && !Array.isArray(value))) continue
      out.push({ tagspace, tag, value })
    }
  }
  return out
}
