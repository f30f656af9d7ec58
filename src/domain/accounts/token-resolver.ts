import type { Actor } from '../../api/registry.js'
import type { CredentialCache } from './credential-cache.js'

/**
 * The one lookup from an access token to the user behind it: the token must exist, be of the kind
 * the call uses (OAuth or legacy), belong to the calling app, and its user must still exist.
 */
export async function resolveAccessToken(
  credentials: CredentialCache,
  value: string,
  expect: { kind: 'oauth' | 'legacy'; apiKey: string },
): Promise<{ actor: Actor; secret: string } | undefined> {
  const token = await credentials.accessToken(value)
  if (!token || token.kind !== expect.kind || token.apiKey !== expect.apiKey) return undefined
  const user = await credentials.account(token.userNsid)
  if (!user) return undefined
  return { actor: { user, perms: token.perms, token: token.token, tokenKind: token.kind }, secret: token.secret ?? '' }
}
