import type { Account, AccountRepository } from '../../db/account-repository.js'
import type { App, AppRepository } from '../../db/app-repository.js'
import type { AccessToken, TokenRepository } from '../../db/token-repository.js'

// Every signed call looks up its app, token and user; keeping hits for a few seconds takes three
// queries off each call. Misses are never kept (a key made with the CLI works at once), and a revoked
// token is forgotten at once: here, and on every node through `onTokenForgotten` (PostgreSQL NOTIFY,
// create-services.ts). A pro/free change made elsewhere shows within the TTL.
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

  clear(): void {
    this.#entries.clear()
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

  /** Called with every token this node forgets, so other nodes can be told (set once at wiring). */
  onTokenForgotten: ((token: string) => void) | undefined

  /** A token was revoked here: forgotten on this node, and announced to the others. */
  forgetToken(token: string): void {
    this.#tokens.delete(token)
    this.onTokenForgotten?.(token)
  }

  /** Another node revoked `token` (or, with no token, messages may have been missed: forget them all). */
  forgetTokenLocally(token?: string): void {
    if (token === undefined) this.#tokens.clear()
    else this.#tokens.delete(token)
  }

  forgetAccount(nsid: string): void {
    this.#accounts.delete(nsid)
  }
}
