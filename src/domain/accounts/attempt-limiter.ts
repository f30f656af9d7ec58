// Failed guesses (passwords on the consent pages, OAuth verifiers) counted per key, such as a request
// token or a client address, over a sliding window. In memory: each node counts its own, which bounds
// guessing per node; shared counting comes with shared sessions.

export interface AttemptLimit {
  /** Failures allowed per key within the window */
  max: number
  windowMillis: number
}

export class AttemptLimiter {
  readonly #failures = new Map<string, number[]>()

  constructor(
    private readonly limit: AttemptLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether every key may try again (none is at its limit). */
  allowed(keys: readonly string[]): boolean {
    return keys.every((key) => this.#recent(key).length < this.limit.max)
  }

  fail(keys: readonly string[]): void {
    if (this.#failures.size > 100_000) this.#failures.clear()
    for (const key of keys) this.#failures.set(key, [...this.#recent(key), this.now()])
  }

  #recent(key: string): number[] {
    const since = this.now() - this.limit.windowMillis
    const kept = (this.#failures.get(key) ?? []).filter((at) => at > since)
    if (kept.length === 0) this.#failures.delete(key)
    else this.#failures.set(key, kept)
    return kept
  }
}
