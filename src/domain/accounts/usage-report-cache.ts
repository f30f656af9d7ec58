import type { AccountUsage, UsageRepository } from '../../db/usage-repository.js'

// getUploadStatus is a hot read (clients call it before every batch); its usage figures cost two
// aggregate queries. They are kept for two seconds and dropped at once when this process stores or
// deletes a photo. Limit checks never use this: they always read the database.
const TTL_MILLIS = 2000

export class UsageReportCache {
  readonly #entries = new Map<string, { usage: AccountUsage; month: string; expiresAt: number }>()

  constructor(private readonly usage: UsageRepository) {}

  async get(userNsid: string, now: number): Promise<AccountUsage> {
    const month = new Date(now * 1000).toISOString().slice(0, 7)
    const hit = this.#entries.get(userNsid)
    if (hit && hit.expiresAt > Date.now() && hit.month === month) return hit.usage
    const usage = await this.usage.usage(userNsid, now)
    if (this.#entries.size > 10_000) this.#entries.clear()
    this.#entries.set(userNsid, { usage, month, expiresAt: Date.now() + TTL_MILLIS })
    return usage
  }

  forget(userNsid: string): void {
    this.#entries.delete(userNsid)
  }
}
