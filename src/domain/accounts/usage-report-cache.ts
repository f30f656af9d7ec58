import type { AccountUsage, UsageRepository } from '../../db/usage-repository.js'

// getUploadStatus is a hot read (clients call it before every batch); its figures cost aggregate
// queries (usage, and the count of sets). They are kept for two seconds and dropped at once when this
// process stores or deletes a photo. Limit checks never use this: they always read the database.
const TTL_MILLIS = 2000

export type UsageReport = AccountUsage & { sets: number }

export class UsageReportCache {
  readonly #entries = new Map<string, { usage: UsageReport; expiresAt: number }>()

  constructor(
    private readonly usage: UsageRepository,
    /** Sets the user owns; wired after the album service exists */
    public countSets: (userNsid: string) => Promise<number> = async () => 0,
  ) {}

  // A month's usage resets at 00:00 UTC on the 1st; an entry outlives that by at most the TTL.
  async get(userNsid: string, now: number): Promise<UsageReport> {
    const hit = this.#entries.get(userNsid)
    if (hit && hit.expiresAt > Date.now()) return hit.usage
    const [figures, sets] = await Promise.all([this.usage.usage(userNsid, now), this.countSets(userNsid)])
    const usage = { ...figures, sets }
    if (this.#entries.size > 10_000) this.#entries.clear()
    this.#entries.set(userNsid, { usage, expiresAt: Date.now() + TTL_MILLIS })
    return usage
  }

  forget(userNsid: string): void {
    this.#entries.delete(userNsid)
  }
}
