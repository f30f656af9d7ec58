import { z } from 'zod'
import { methodErrors } from '../errors/catalogue.js'
import { optional, required } from './registry.js'

// Argument shapes several methods share. Flickr is lenient with optional numbers (a bad or missing
// value takes the default); required ones answer the method's own error.

export const PHOTO_ID = /^\d{1,20}$/

/** `photo_id`: a photo id, else the method's "Photo not found" (1), as Flickr answers both alike. */
export const photoIdArg = (description: string) => required(description, methodErrors.photoNotFound, z.string().regex(PHOTO_ID))

/** A positive integer, defaulted when absent or invalid and capped at `max`. */
export function positiveIntArg(description: string, fallback: number, max: number) {
  return optional(
    description,
    z
      .string()
      .optional()
      .transform((value) => {
        const n = Number(value)
        if (!value || !Number.isInteger(n) || n < 1) return fallback
        return Math.min(n, max)
      }),
  )
}

// Keeps the SQL offset a sane integer on both engines; pages past the end are empty anyway.
const MAX_PAGE = 1_000_000

export const pageArg = () => positiveIntArg('The page of results to return. Defaults to 1.', 1, MAX_PAGE)
export const perPageArg = (fallback = 100, max = 500) =>
  positiveIntArg(`Number of photos to return per page. Defaults to ${fallback}; the maximum is ${max}.`, fallback, max)

/** A comma-delimited list of names (`a,b` or `a, b`), in order, empty items dropped. */
export const nameListArg = (description: string) =>
  optional(
    description,
    z
      .string()
      .optional()
      .transform((value) => (value ?? '').split(',').map((name) => name.trim()).filter(Boolean)),
  )

/** Free text, absent stays undefined. */
export const textArg = (description: string) => optional(description, z.string().optional())
