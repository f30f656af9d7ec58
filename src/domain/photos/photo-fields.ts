import type { Account } from '../../db/account-repository.js'
import type { PhotoRow } from '../../db/photo-repository.js'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { PhotoDeps } from './photo-deps.js'
import { ownPhoto } from './photo-edits.js'

// The owner's edits of single photo fields (setDates, setPerms, setSafetyLevel, setContentType,
// setLicense, geo.*): each validates into a set of columns, written with lastupdate in one statement.

export type PhotoFields = Partial<Omit<PhotoRow, 'id' | 'ownerNsid' | 'revision'>>

/** Writes `fields` to the caller's photo (1 when it is not theirs); returns the photo as it was. */
export async function updateOwnPhoto(deps: PhotoDeps, user: Account, photoId: string, fields: PhotoFields): Promise<PhotoRow> {
  const photo = await ownPhoto(deps, user, photoId)
  await deps.photos.updateFields(photo.id, fields, deps.clock())
  return photo
}

/** Licences a user may choose: Flickr's list less the institution-only 7 and 8 (reference §7.6). */
const SETTABLE_LICENSES = new Set([0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16])

export function licenseFields(licenseId: number | undefined): PhotoFields {
  if (licenseId === undefined || !SETTABLE_LICENSES.has(licenseId)) throw new FlickrError(methodErrors.licenseNotFound)
  return { license: licenseId }
}

/** A location as Flickr takes it: latitude −90…90, longitude −180…180 (6 decimals kept), accuracy 1…16 (default 16), context 0…2. */
export function locationFields(input: { lat?: string; lon?: string; accuracy?: string; context?: string }): PhotoFields {
  if (!input.lat?.trim() || !input.lon?.trim()) throw new FlickrError(methodErrors.geoArgumentsMissing)
  const lat = Number(input.lat)
  const lon = Number(input.lon)
  if (!Number.isFinite(lat) || Math.abs(lat) > 90) throw new FlickrError(methodErrors.invalidLatitude)
  if (!Number.isFinite(lon) || Math.abs(lon) > 180) throw new FlickrError(methodErrors.invalidLongitude)
  const accuracy = input.accuracy?.trim() ? Number(input.accuracy) : 16
  if (!Number.isInteger(accuracy) || accuracy < 1 || accuracy > 16) throw new FlickrError(methodErrors.invalidAccuracy)
  const context = input.context?.trim() && /^[012]$/.test(input.context.trim()) ? Number(input.context) : 0
  const truncate = (n: number) => Math.trunc(n * 1e6) / 1e6
  return { latitude: truncate(lat), longitude: truncate(lon), accuracy, geoContext: context }
}

export const NO_LOCATION: PhotoFields = { latitude: null, longitude: null, accuracy: 0, geoContext: 0 }

/** date_taken as Flickr reads it: a MySQL datetime, possibly cut short (`2004-04` = `2004-04-01 00:00:00`). */
export function parseDateTaken(text: string): string | undefined {
  const match = /^(\d{4})(?:-(\d\d)(?:-(\d\d)(?:[ T](\d\d)(?::(\d\d)(?::(\d\d))?)?)?)?)?$/.exec(text.trim())
  if (!match) throw new FlickrError(methodErrors.invalidDateTakenFormat)
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00'] = match
  const value = `${y}-${mo}-${d} ${h}:${mi}:${s}`
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`)
  // Round-trip check: 2021-02-30 or 25:00 is a well-formed but impossible date (6).
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19).replace('T', ' ') !== value) throw new FlickrError(methodErrors.invalidDateTaken)
  return value
}

/** setDates: at least one argument (2); granularity 0…10 (3); date_posted Unix seconds, not in the future (4). */
export function dateFields(input: { datePosted?: string; dateTaken?: string; granularity?: string }, now: number): PhotoFields {
  const fields: PhotoFields = {}
  if (![input.datePosted, input.dateTaken, input.granularity].some((v) => v?.trim())) throw new FlickrError(methodErrors.notEnoughArguments)
  if (input.granularity?.trim()) {
    if (!/^(10|\d)$/.test(input.granularity.trim())) throw new FlickrError(methodErrors.invalidGranularity)
    fields.dateTakenGranularity = Number(input.granularity)
  }
  if (input.datePosted?.trim()) {
    const posted = Number(input.datePosted)
    if (!/^\d{1,12}$/.test(input.datePosted.trim()) || posted > now) throw new FlickrError(methodErrors.invalidDatePosted)
    fields.datePosted = posted
  }
  if (input.dateTaken?.trim()) fields.dateTaken = parseDateTaken(input.dateTaken)
  return fields
}
