import { storableText } from '../text.js'

/** Flickr's per-photo tag cap, applied wherever tags are set: setTags refuses past it (2), upload keeps the first. */
export const MAX_TAGS = 75

/** A tag as Flickr keeps it: the raw text and the normalised form used in URLs and searches. */
export interface ParsedTag {
  raw: string
  clean: string
}

/**
 * Parses Flickr's tag syntax: space-separated, multi-word tags in double quotes
 * (`tag1 tag2 "long tag"`). Duplicates (by normalised form) are dropped, as Flickr does.
 */
export function parseTags(input: string): ParsedTag[] {
  const tags: ParsedTag[] = []
  const seen = new Set<string>()
  for (const match of storableText(input).matchAll(/"([^"]*)"|(\S+)/g)) {
    const raw = (match[1] ?? match[2] ?? '').trim()
    if (!raw) continue
    const clean = normaliseTag(raw)
    if (!clean || seen.has(clean)) continue
    seen.add(clean)
    tags.push({ raw, clean })
  }
  return tags
}

/** Lower case, letters, digits and machine-tag punctuation only ("Long Tag!" -> "longtag"). */
export function normaliseTag(raw: string): string {
  const lower = raw.toLowerCase()
  // Machine tags (namespace:predicate=value) keep their structure.
  if (/^[a-z_][\w]*:[\w]+=.+$/.test(lower)) return lower
  return lower.replace(/[^\p{L}\p{N}]/gu, '')
}
