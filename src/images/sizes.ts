// Flickr's derived sizes (flickr-api-reference.md §6.1/§6.2). X-Large 3K..6K and `f` are not rendered.

export const flickrSizes = [
  { suffix: 's', label: 'Square', edge: 75, crop: 'square', pageCode: 'sq', ownSecret: false },
  { suffix: 'q', label: 'Large Square', edge: 150, crop: 'square', pageCode: 'q', ownSecret: false },
  { suffix: 't', label: 'Thumbnail', edge: 100, crop: 'none', pageCode: 't', ownSecret: false },
  { suffix: 'm', label: 'Small', edge: 240, crop: 'none', pageCode: 's', ownSecret: false },
  { suffix: 'n', label: 'Small 320', edge: 320, crop: 'none', pageCode: 'n', ownSecret: false },
  { suffix: 'w', label: 'Small 400', edge: 400, crop: 'none', pageCode: 'w', ownSecret: false },
  // Medium has no suffix: its URL is `{id}_{secret}.jpg`.
  { suffix: '', label: 'Medium', edge: 500, crop: 'none', pageCode: 'm', ownSecret: false },
  { suffix: 'z', label: 'Medium 640', edge: 640, crop: 'none', pageCode: 'z', ownSecret: false },
  { suffix: 'c', label: 'Medium 800', edge: 800, crop: 'none', pageCode: 'c', ownSecret: false },
  { suffix: 'b', label: 'Large', edge: 1024, crop: 'none', pageCode: 'l', ownSecret: false },
  // h and k have their own secrets on Flickr, unlike every size below them.
  { suffix: 'h', label: 'Large 1600', edge: 1600, crop: 'none', pageCode: 'h', ownSecret: true },
  { suffix: 'k', label: 'Large 2048', edge: 2048, crop: 'none', pageCode: 'k', ownSecret: true },
] as const

export type FlickrSize = (typeof flickrSizes)[number]
export type SizeSuffix = FlickrSize['suffix']

/** A size to generate for one particular original, with its output dimensions. */
export interface PlannedSize {
  readonly size: FlickrSize
  readonly suffix: SizeSuffix
  readonly width: number
  readonly height: number
}

// Sizes that old clients build URLs for without calling getSizes (`_s`, `_q`, `_t`, `_m`, no suffix).
const alwaysPresent: ReadonlySet<SizeSuffix> = new Set<SizeSuffix>(['s', 'q', 't', 'm', ''])

export function sizeBySuffix(suffix: SizeSuffix): FlickrSize {
  const found = flickrSizes.find((s) => s.suffix === suffix)
  if (found === undefined) throw new Error(`unknown size suffix '${suffix}'`)
  return found
}

/**
 * The sizes to generate for an original displayed at `width`×`height` (after EXIF orientation),
 * in table order. Never upscales:
 * - square crops (s, q) are always generated, at min(edge, shorter side of the original);
 * - a resized size is generated when the original's longest edge is >= its edge, scaled so the
 *   longest edge equals the size's edge and the other edge rounded (as Flickr does);
 * - t, m and Medium are always generated because clients assume they exist; when the original is
 *   smaller they are copies at the original's dimensions.
 */
export function sizesFor(width: number, height: number): PlannedSize[] {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`invalid image dimensions ${width}x${height}`)
  }
  const longest = Math.max(width, height)
  const planned: PlannedSize[] = []
  for (const size of flickrSizes) {
    if (size.crop === 'square') {
      const side = Math.min(size.edge, width, height)
      planned.push({ size, suffix: size.suffix, width: side, height: side })
    } else if (longest >= size.edge) {
      planned.push({ size, suffix: size.suffix, ...scaleToEdge(width, height, size.edge) })
    } else if (alwaysPresent.has(size.suffix)) {
      planned.push({ size, suffix: size.suffix, width, height })
    }
  }
  return planned
}

/** Scales so the longest edge becomes `edge`; the other edge is rounded, never below 1 px. */
export function scaleToEdge(width: number, height: number, edge: number): { width: number; height: number } {
  if (width >= height) return { width: edge, height: Math.max(1, Math.round((height * edge) / width)) }
  return { width: Math.max(1, Math.round((width * edge) / height)), height: edge }
}
