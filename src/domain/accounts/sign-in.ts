import { hashPassword, verifyPassword } from '../../auth/passwords.js'
import type { Account } from '../../db/account-repository.js'
import type { Services } from '../../services.js'

// A hash of nothing anyone knows, checked when the username does not exist so that an unknown user
// costs the same scrypt time as a wrong password (no username probing by timing).
let decoyHash: Promise<string> | undefined

/** The account when `username` exists and `password` is its password; undefined otherwise. */
export async function checkCredentials(services: Services, username: string, password: string): Promise<Account | undefined> {
  const account = username === '' ? undefined : await services.accounts.byUsername(username)
  if (!account?.passwordHash) {
    decoyHash ??= hashPassword('decoy password that is never accepted')
    await verifyPassword(password, await decoyHash)
    return undefined
  }
  return (await verifyPassword(password, account.passwordHash)) ? account : undefined
}
