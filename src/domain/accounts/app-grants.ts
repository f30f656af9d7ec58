import { AppGrantRepository } from '../../db/app-grant-repository.js'
import type { Account } from '../../db/account-repository.js'
import type { App } from '../../db/app-repository.js'
import type { Services } from '../../services.js'
import { createApp } from './account-service.js'

// What the account page does with apps. A revoke ends the app's tokens at once: the rows are marked
// revoked and this process's credential cache forgets them (other nodes see it within the cache TTL).

export function appGrants(services: Services): AppGrantRepository {
  return new AppGrantRepository(services.database.db)
}

const APP_NAME = /^\S.{0,99}$/u

/** A new API key and secret owned by the user; undefined when the name is blank or too long. */
export async function createOwnApp(services: Services, user: Account, name: string): Promise<App | undefined> {
  const trimmed = name.trim()
  if (!APP_NAME.test(trimmed)) return undefined
  return createApp(services, { name: trimmed, ownerUsername: user.username })
}

/** Ends every token the user gave this app; returns how many were live. */
export async function revokeApp(services: Services, user: Account, apiKey: string): Promise<number> {
  const tokens = await appGrants(services).revokeAll(user.nsid, apiKey)
  for (const token of tokens) services.credentials.forgetToken(token)
  return tokens.length
}
