import { hashPassword } from '../../auth/passwords.js'
import { newApiKey, newConsumerSecret, newNsid, newOauthToken, newTokenSecret } from '../../auth/ids.js'
import type { Account } from '../../db/account-repository.js'
import type { App } from '../../db/app-repository.js'
import type { Perms } from '../../db/tables.js'
import type { Services } from '../../services.js'

export class AccountError extends Error {
  override name = 'AccountError'
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/

export async function createUser(
  services: Services,
  input: { username: string; isPro: boolean; password?: string; fullname?: string },
): Promise<Account> {
  if (!USERNAME.test(input.username)) throw new AccountError(`invalid username "${input.username}"`)
  if (await services.accounts.byUsername(input.username)) throw new AccountError(`user "${input.username}" already exists`)
  const account: Account = {
    nsid: newNsid(),
    username: input.username,
    fullname: input.fullname ?? '',
    passwordHash: input.password ? await hashPassword(input.password) : null,
    isPro: input.isPro ? 1 : 0,
    createdAt: services.clock(),
  }
  await services.accounts.insert(account)
  return account
}

export async function requireUser(services: Services, username: string): Promise<Account> {
  const account = await services.accounts.byUsername(username)
  if (!account) throw new AccountError(`no user "${username}"`)
  return account
}

// Flickr's own shapes: programs that ship credentials (gallery-dl, Shotwell, digiKam, frogr, Photini)
// carry a 32-hex key and a 16-hex secret, lower case, as Flickr issues them.
const API_KEY_SHAPE = /^[0-9a-f]{32}$/
const SECRET_SHAPE = /^[0-9a-f]{16}$/

/**
 * A new app under fresh credentials, or under a program's own (`given`): drop-in mode registers the
 * key a program has compiled in, so it runs unmodified. A key already taken is refused, never reused.
 */
export async function createApp(services: Services, input: { name: string; ownerUsername: string; given?: { apiKey: string; secret: string } }): Promise<App> {
  const owner = await requireUser(services, input.ownerUsername)
  if (input.given) {
    if (!API_KEY_SHAPE.test(input.given.apiKey)) throw new AccountError('--api-key must be 32 lower-case hex digits, as Flickr keys are')
    if (!SECRET_SHAPE.test(input.given.secret)) throw new AccountError('--secret must be 16 lower-case hex digits, as Flickr secrets are')
    if (await services.apps.byKey(input.given.apiKey)) throw new AccountError(`api key ${input.given.apiKey} is already registered`)
  }
  const app: App = {
    apiKey: input.given?.apiKey ?? newApiKey(),
    secret: input.given?.secret ?? newConsumerSecret(),
    name: input.name,
    ownerNsid: owner.nsid,
    callbackUrl: null,
    createdAt: services.clock(),
  }
  await services.apps.insert(app)
  return app
}

/** Issues an access token exactly like the OAuth dance (or the legacy frob flow) would. */
export async function issueAccessToken(
  services: Services,
  input: { userNsid: string; apiKey: string; perms: Perms; legacy: boolean },
): Promise<{ token: string; secret: string | null }> {
  const token = newOauthToken()
  const secret = input.legacy ? null : newTokenSecret()
  await services.tokens.insertAccessToken({
    token,
    secret,
    kind: input.legacy ? 'legacy' : 'oauth',
    apiKey: input.apiKey,
    userNsid: input.userNsid,
    perms: input.perms,
    createdAt: services.clock(),
    revoked: 0,
  })
  return { token, secret }
}
