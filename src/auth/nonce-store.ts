// Replay protection for OAuth 1.0a (RFC 5849 §3.3): a nonce may be used once per consumer key,
// token and timestamp. The token is part of the scope because Perl Flickr::API reuses the
// request-token call's nonce and timestamp on the access-token call, with a different token.

/** One signed request's replay identity. `token` is absent for request-token and two-legged calls. */
export interface NonceUse {
  consumerKey: string
  token?: string | undefined
  /** `oauth_timestamp`, seconds since the epoch. */
  timestamp: number
  nonce: string
}

/**
 * Remembers nonces for the accepted timestamp window. Call it only after the signature verified and the
 * timestamp was found inside the window, so unsigned traffic cannot fill it and a rejected request
 * (which some clients retry unchanged) does not burn its nonce.
 */
export interface NonceStore {
  /** Records `use`; resolves false when the same use was already recorded (a replay). */
  checkAndRemember(use: NonceUse): Promise<boolean>
}

/** One string per use; JSON keeps the four parts unambiguous whatever characters a nonce contains. */
export function nonceKey(use: NonceUse): string {
  return JSON.stringify([use.consumerKey, use.token ?? '', use.timestamp, use.nonce])
}

/**
 * When a use may be forgotten (ms). A timestamp t passes the window check until now = t + window; a
 * future t makes that later than now + window. Never keep less than a full window, whatever the caller checked.
 */
export function nonceExpiry(use: NonceUse, nowMs: number, windowMs: number): number {
  return Math.max(use.timestamp * 1000, nowMs) + windowMs
}

export interface MemoryNonceStoreOptions {
  /** The timestamp window the verifier accepts, in seconds either side of now. */
  windowSeconds: number
  /** Clock in milliseconds, for tests. */
  now?: () => number
}

/** Single-process NonceStore; entries live until their timestamp can no longer pass the window check. */
export class MemoryNonceStore implements NonceStore {
  readonly #windowMs: number
  readonly #now: () => number
  /** key -> expiry (ms since the epoch) */
  readonly #seen = new Map<string, number>()
  #nextPruneAt: number

  constructor({ windowSeconds, now = Date.now }: MemoryNonceStoreOptions) {
    if (!(windowSeconds > 0)) throw new RangeError('windowSeconds must be positive')
    this.#windowMs = windowSeconds * 1000
    this.#now = now
    this.#nextPruneAt = now() + this.#windowMs
  }

  async checkAndRemember(use: NonceUse): Promise<boolean> {
    if (!Number.isFinite(use.timestamp)) throw new RangeError('timestamp must be a finite number')
    const now = this.#now()
    if (now >= this.#nextPruneAt) this.#prune(now)
    const key = nonceKey(use)
    const expiresAt = this.#seen.get(key)
    if (expiresAt !== undefined && expiresAt > now) return false
    this.#seen.set(key, nonceExpiry(use, now, this.#windowMs))
    return true
  }

  /** Number of remembered uses, expired ones included until the next prune. */
  get size(): number {
    return this.#seen.size
  }

  // Pruning on insert, at most once per window, costs O(n) per window and needs no timer.
  #prune(now: number): void {
    for (const [key, expiresAt] of this.#seen) {
      if (expiresAt <= now) this.#seen.delete(key)
    }
    this.#nextPruneAt = now + this.#windowMs
  }
}
