import { storableText } from '../text.js'

/** Flickr's per-photo tag cap, applied wherever tags are set: setTags/addTags refuse past it (2), upload keeps the first. */
export const MAX_TAGS = 75

/** A tag as Flickr keeps it: the raw text and the normalised form used in URLs and searches. */
export interface ParsedTag {
  raw: string
  clean: string
}

/** The parts of a machine tag's clean form. */
export interface MachineTagParts {
  namespace: string
  predicate: string
  value: string
}

// namespace:predicate=value; namespace and predicate as Flickr's 2007 syntax ([a-z][a-z0-9_]+), value anything.
const MACHINE_TAG = /^([a-z_][a-z0-9_]*):([a-z_][a-z0-9_]*)=(.*)$/i

/**
 * Parses Flickr's tag syntax: space-separated, multi-word tags in double quotes
 * (`tag1 tag2 "long tag"`), and tags with a quoted tail (`geo:quartier="plateau mont royal"`, `album:"Set"`).
 * Duplicates (by normalised form) are dropped, as Flickr does.
 */
export function parseTags(input: string): ParsedTag[] {
  const tags: ParsedTag[] = []
  const seen = new Set<string>()
  // A quoted part may follow a prefix: machine tags (`geo:quartier="plateau mont royal"`) and the
  // uploaders' `album:"Summer trip"` are one tag each, quotes dropped.
  for (const match of storableText(input).matchAll(/([^\s"]+)"([^"]*)"|"([^"]*)"|(\S+)/g)) {
    const raw = (match[1] !== undefined ? `${match[1]}${match[2]}` : (match[3] ?? match[4] ?? '')).trim()
    if (!raw) continue
    const clean = normaliseTag(raw)
    if (!clean || seen.has(clean)) continue
    seen.add(clean)
    tags.push({ raw, clean })
  }
  return tags
}

/**
 * Lower case, letters and digits only ("Long Tag!" -> "longtag"). Machine tags keep `ns:pred=` and
 * clean only the value (`taxonomy:binomial=Elephas maximus` -> `taxonomy:binomial=elephasmaximus`,
 * reference part 2 §6.3).
 */
export function normaliseTag(raw: string): string {
  const machine = MACHINE_TAG.exec(raw)
  if (machine) return `${machine[1]!.toLowerCase()}:${machine[2]!.toLowerCase()}=${cleanText(machine[3]!)}`
  return cleanText(raw)
}

function cleanText(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

/** The parts of a clean machine tag, or undefined for a plain tag. */
export function machineTagParts(clean: string): MachineTagParts | undefined {
  const match = MACHINE_TAG.exec(clean)
  return match ? { namespace: match[1]!, predicate: match[2]!, value: match[3]! } : undefined
}

/** A tag row's machine-tag columns, derived from its clean form. */
export function machineColumns(clean: string): { mtNamespace: string | null; mtPredicate: string | null; mtValue: string | null } {
  const parts = machineTagParts(clean)
  return { mtNamespace: parts?.namespace ?? null, mtPredicate: parts?.predicate ?? null, mtValue: parts?.value ?? null }
}
