import { createHash } from 'node:crypto'
import { PgNotifyChannel } from '../../db/pg-notify-channel.js'
import type { CredentialCache } from './credential-cache.js'

/** Tells every node that a token was revoked, so their credential caches drop it at once. */
export interface RevocationAnnouncer {
  announce(token: string): Promise<void>
  close(): Promise<void>
}

/** One node (SQLite): the local cache is all there is. */
export const LOCAL_ONLY: RevocationAnnouncer = { announce: async () => undefined, close: async () => undefined }

/**
 * On PostgreSQL: NOTIFY on a channel every node LISTENs to; each drops the token from its cache
 * (the database row, already revoked, is what the next lookup reads). A lost listening connection
 * clears the whole token cache on reconnect, as revocations may have been missed.
 */
export async function openPgRevocations(input: {
  databaseUrl: string
  pgSchema: string | undefined
  credentials: CredentialCache
  onError: (error: unknown) => void
}): Promise<RevocationAnnouncer> {
  const { credentials } = input
  // Channel names are identifiers (at most 63 bytes): a schema-isolated test run gets a hashed suffix.
  const suffix = input.pgSchema ? `_${createHash('sha1').update(input.pgSchema).digest('hex').slice(0, 16)}` : ''
  const channel = await PgNotifyChannel.open({
    databaseUrl: input.databaseUrl,
    channel: `retake_token_revoked${suffix}`,
    onMessage: (token) => credentials.forgetTokenLocally(token),
    onReconnect: () => credentials.forgetTokenLocally(),
    onError: input.onError,
  })
  const announcer: RevocationAnnouncer = {
    announce: (token) => channel.publish(token),
    close: () => channel.close(),
  }
  // Revocations made inside the API (a legacy token exchanged for OAuth) reach the other nodes too.
  credentials.onTokenForgotten = (token) => void announcer.announce(token).catch(input.onError)
  return announcer
}

/** Revokes an access token (OAuth or legacy) everywhere; false when no active token had that value. */
export async function revokeToken(
  services: { tokens: { revokeIfActive(token: string): Promise<boolean> }; credentials: CredentialCache; revocations: RevocationAnnouncer },
  token: string,
): Promise<boolean> {
  const revoked = await services.tokens.revokeIfActive(token)
  services.credentials.forgetTokenLocally(token)
  // Announced even when already revoked: harmless, and it repairs a node that missed the first one.
  await services.revocations.announce(token)
  return revoked
}
