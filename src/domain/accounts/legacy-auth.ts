import { newFrob } from '../../auth/ids.js'
import type { Account } from '../../db/account-repository.js'
import type { Perms } from '../../db/tables.js'
import type { Frob } from '../../db/token-repository.js'
import type { Services } from '../../services.js'
import { issueAccessToken } from './account-service.js'

// Flickr's pre-OAuth frob flow (reference §4.6): a frob is created (by flickr.auth.getFrob, or by the
// auth page in the web flow), approved by the user on the auth page, then traded once for a token.

/** Frobs, like Flickr's, are good for an hour. */
export const FROB_SECONDS = 3600

/** A new frob for `apiKey`; already approved when `approval` is given (web flow). */
export async function createFrob(services: Services, apiKey: string, approval?: { userNsid: string; perms: Perms }): Promise<string> {
  const now = services.clock()
  await services.tokens.deleteExpired(now)
  const frob = newFrob()
  await services.tokens.insertFrob({
    frob,
    apiKey,
    perms: approval?.perms ?? null,
    userNsid: approval?.userNsid ?? null,
    createdAt: now,
    expiresAt: now + FROB_SECONDS,
  })
  return frob
}

/** The frob when it exists, belongs to `apiKey` and has not expired. */
export async function findFrob(services: Services, frob: string, apiKey: string): Promise<Frob | undefined> {
  const found = await services.tokens.frob(frob)
  return found && found.apiKey === apiKey && found.expiresAt > services.clock() ? found : undefined
}

export interface LegacyGrant {
  token: string
  perms: Perms
  user: Account
}

/**
 * Trades an approved frob for a legacy auth_token, once. Undefined (Flickr's error 108) when the frob
 * is unknown, expired, of another app, not approved yet (it stays usable) or already traded.
 */
export async function redeemFrob(services: Services, frob: string, apiKey: string): Promise<LegacyGrant | undefined> {
  const found = await findFrob(services, frob, apiKey)
  if (!found?.userNsid || !found.perms) return undefined
  if (!(await services.tokens.consumeFrob(frob))) return undefined
  const user = await services.accounts.byNsid(found.userNsid)
  if (!user) return undefined
  const issued = await issueAccessToken(services, { userNsid: user.nsid, apiKey, perms: found.perms, legacy: true })
  return { token: issued.token, perms: found.perms, user }
}
