import type { Config } from './config/schema.js'
import type { AccountRepository } from './db/account-repository.js'
import type { AppRepository } from './db/app-repository.js'
import type { DatabaseHandle } from './db/database.js'
import type { TokenRepository } from './db/token-repository.js'
import type { UsageRepository } from './db/usage-repository.js'
import type { NonceStore } from './auth/nonce-store.js'
import type { RuntimeSettings } from './domain/runtime-settings.js'

/** Unix time in seconds; injected so tests can move it. */
export type Clock = () => number

/** Everything request handlers may use, built once by createServices and passed explicitly. */
export interface Services {
  config: Config
  database: DatabaseHandle
  accounts: AccountRepository
  apps: AppRepository
  tokens: TokenRepository
  usage: UsageRepository
  settings: RuntimeSettings
  nonces: NonceStore
  clock: Clock
}
