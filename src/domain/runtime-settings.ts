import type { SettingsRepository } from '../db/settings-repository.js'
import { FlickrError } from '../errors/flickr-error.js'
import { standardErrors } from '../errors/catalogue.js'

const READ_ONLY_KEY = 'read_only'
// Operators flip these from the CLI against the same database; a second is soon enough to notice.
const CACHE_MILLIS = 1000

/** The maintenance switch and the URL blocklist, read from the database with a short cache. */
export class RuntimeSettings {
  readonly #repo: SettingsRepository
  readonly #forcedReadOnly: boolean
  #cachedAt = 0
  #readOnly = false
  #blocked: string[] = []

  constructor(repo: SettingsRepository, forcedReadOnly: boolean) {
    this.#repo = repo
    this.#forcedReadOnly = forcedReadOnly
  }

  async #refresh(): Promise<void> {
    if (Date.now() - this.#cachedAt < CACHE_MILLIS) return
    const [flag, hosts] = await Promise.all([this.#repo.get(READ_ONLY_KEY), this.#repo.blockedHosts()])
    this.#readOnly = flag === '1'
    this.#blocked = hosts
    this.#cachedAt = Date.now()
  }

  invalidate(): void {
    this.#cachedAt = 0
  }

  async isReadOnly(): Promise<boolean> {
    if (this.#forcedReadOnly) return true
    await this.#refresh()
    return this.#readOnly
  }

  async setReadOnly(on: boolean): Promise<void> {
    await this.#repo.set(READ_ONLY_KEY, on ? '1' : '0')
    this.invalidate()
  }

  async blockHost(host: string): Promise<void> {
    await this.#repo.blockHost(host, Math.floor(Date.now() / 1000))
    this.invalidate()
  }

  async unblockHost(host: string): Promise<boolean> {
    const removed = await this.#repo.unblockHost(host)
    this.invalidate()
    return removed
  }

  /** Error 105 for any write while maintenance mode is on. */
  async assertWritable(): Promise<void> {
    if (await this.isReadOnly()) throw new FlickrError(standardErrors.serviceUnavailable)
  }

  /** Error 116 when any value holds a URL whose host, or a parent domain of it, is blocklisted. */
  async assertNoBlockedUrl(values: Iterable<string>): Promise<void> {
    await this.#refresh()
    if (this.#blocked.length === 0) return
    for (const value of values) {
      for (const host of urlHosts(value)) {
        if (this.#blocked.some((blocked) => host === blocked || host.endsWith(`.${blocked}`))) {
          throw new FlickrError(standardErrors.badUrl)
        }
      }
    }
  }
}

const URL_PATTERN = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s"'<>]+/gi

/** Hostnames of every URL-looking substring (scheme URLs and bare www. ones). */
export function urlHosts(text: string): string[] {
  const hosts: string[] = []
  for (const match of text.matchAll(URL_PATTERN)) {
    const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(match[0]) ? match[0] : `http://${match[0]}`
    try {
      const host = new URL(candidate).hostname.toLowerCase().replace(/\.$/, '')
      if (host) hosts.push(host)
    } catch {
      // not a parseable URL: nothing to check
    }
  }
  return hosts
}
