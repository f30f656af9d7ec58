import type { Account, AccountRepository } from '../../db/account-repository.js'
import type { App, AppRepository } from '../../db/app-repository.js'
import type { AccessToken, TokenRepository } from '../../db/token-repository.js'

// Every signed call looks up its app, token and user; keeping hits for a few seconds takes three
// queries off each call. Misses are never kept (a key made with the CLI works at once), and a token
// revoked in this process is forgotten at once; a pro/free change made elsewhere shows within the TTL.
const TTL_MILLIS = 5000
const MAX_ENTRIES = 10_000

class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>()

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const now = Date.now()
    const hit = this.#entries.get(key)
    if (hit && hit.expiresAt > now) return hit.value
    const value = await load()
    if (value === undefined) {
      this.#entries.delete(key)
      return undefined
    }
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear()
    this.#entries.set(key, { value, expiresAt: now + TTL_MILLIS })
    return value
  }

  delete(key: string): void {
    this.#entries.delete(key)
  }
}

/** Read-through lookups of the credentials a signed call names. */
export class CredentialCache {
  readonly #apps = new TtlCache<App>()
  readonly #tokens = new TtlCache<AccessToken>()
  readonly #accounts = new TtlCache<Account>()

  constructor(
    private readonly apps: AppRepository,
    private readonly tokens: TokenRepository,
    private readonly accounts: AccountRepository,
  ) {}

  app(apiKey: string): Promise<App | undefined> {
    return this.#apps.get(apiKey, () => this.apps.byKey(apiKey))
  }

  accessToken(token: string): Promise<AccessToken | undefined> {
    return this.#tokens.get(token, () => this.tokens.accessToken(token))
  }

  account(nsid: string): Promise<Account | undefined> {
    return this.#accounts.get(nsid, () => this.accounts.byNsid(nsid))
  }

  forgetToken(token: string): void {
    this.#tokens.delete(token)
  }

  forgetAccount(nsid: string): void {
    this.#accounts.delete(nsid)
  }
}
