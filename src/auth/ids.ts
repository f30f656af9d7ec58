import { randomBytes, randomInt } from 'node:crypto'

// Unguessable identifiers shaped like Flickr's (reference §0), from node:crypto only.
// Uniqueness of the public ones (photo ids, NSIDs) is the database's job; these only make
// collisions rare and guessing impractical.

/** Flickr's object-id prefix, seen at the start of its OAuth tokens, frobs and ticket halves. */
const FLICKR_PREFIX = '72157'

/** `n` uniformly random decimal digits (randomInt rejection-samples, so no modulo bias). */
function digits(n: number, { nonZeroFirst = false } = {}): string {
  let out = nonZeroFirst ? String(randomInt(1, 10)) : ''
  while (out.length < n) out += String(randomInt(0, 10))
  return out
}

function hex(n: number): string {
  return randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n)
}

/** OAuth request or access token: `72157` + 12 random digits, `-`, 16 hex (≈104 random bits). */
export function newOauthToken(): string {
  return `${FLICKR_PREFIX}${digits(12)}-${hex(16)}`
}

/** OAuth token secret: 16 hex. */
export function newTokenSecret(): string {
  return hex(16)
}

/** Photo secret / originalsecret: 10 lowercase hex, as in Flickr's size URLs. */
export function newSecret(): string {
  return hex(10)
}

/** API key (= OAuth consumer key): 32 hex. */
export function newApiKey(): string {
  return hex(32)
}

/** API shared secret (= OAuth consumer secret): 16 hex. */
export function newConsumerSecret(): string {
  return hex(16)
}

/** OAuth verifier handed back after authorisation: 16 hex. */
export function newVerifier(): string {
  // 128 bits: with at most 5 tries per request token, guessing is hopeless.
  return hex(32)
}

/** Legacy auth frob: same shape as an OAuth token (`72157…-<16 hex>`). */
export function newFrob(): string {
  return `${FLICKR_PREFIX}${digits(12)}-${hex(16)}`
}

/** User NSID such as `12037949754@N01`: 11 digits, non-zero first. */
export function newNsid(): string {
  return `${digits(11, { nonZeroFirst: true })}@N01`
}

/** Photo id: 11-digit decimal string, non-zero first; random so ids do not reveal upload volume. */
export function newPhotoId(): string {
  return digits(11, { nonZeroFirst: true })
}

/**
 * Async upload ticket id such as `123456789-72157012345678901` (≈70 random bits). The first half stays
 * below 2^31 because flickcurl reads ticket ids with C `atoi` and keeps only the part before `-`.
 */
export function newTicketId(): string {
  return `${digits(9, { nonZeroFirst: true })}-${FLICKR_PREFIX}${digits(12)}`
}
