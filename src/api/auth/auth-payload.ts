import type { Account } from '../../db/account-repository.js'
import type { Perms } from '../../db/tables.js'
import { el, textEl, type Payload } from '../payload.js'

/**
 * `<auth>` (legacy getToken/checkToken) or `<oauth>` (auth.oauth.checkToken):
 * `<token>…</token><perms>write</perms><user nsid username fullname />` (reference §4.5, §4.6).
 */
export function tokenPayload(root: 'auth' | 'oauth', token: string, perms: Perms, user: Account): Payload {
  return [
    el(
      root,
      undefined,
      textEl('token', token),
      textEl('perms', perms),
      el('user', { nsid: user.nsid, username: user.username, fullname: user.fullname }),
    ),
  ]
}
