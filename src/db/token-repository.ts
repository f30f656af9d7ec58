import type { Kysely, Transaction } from 'kysely'
import type { AccessTokensTable, Database, FrobsTable, Perms, RequestTokensTable } from './tables.js'

export type RequestToken = RequestTokensTable
export type AccessToken = AccessTokensTable
export type Frob = FrobsTable

/** OAuth request tokens, access tokens (OAuth and legacy) and legacy frobs. */
export class TokenRepository {
  constructor(readonly db: Kysely<Database> | Transaction<Database>) {}

  async insertRequestToken(token: RequestToken): Promise<void> {
    await this.db.insertInto('requestTokens').values(token).execute()
  }

  requestToken(token: string): Promise<RequestToken | undefined> {
    return this.db.selectFrom('requestTokens').selectAll().where('token', '=', token).executeTakeFirst()
  }

  async authorizeRequestToken(token: string, userNsid: string, perms: Perms, verifier: string): Promise<void> {
    await this.db.updateTable('requestTokens').set({ userNsid, perms, verifier }).where('token', '=', token).execute()
  }

  /** Deletes the request token and reports whether this call was the one that deleted it (single use). */
  async consumeRequestToken(token: string): Promise<boolean> {
    const result = await this.db.deleteFrom('requestTokens').where('token', '=', token).executeTakeFirst()
    return Number(result.numDeletedRows) === 1
  }

  async insertAccessToken(token: AccessToken): Promise<void> {
    await this.db.insertInto('accessTokens').values(token).execute()
  }

  accessToken(token: string): Promise<AccessToken | undefined> {
    return this.db.selectFrom('accessTokens').selectAll().where('token', '=', token).where('revoked', '=', 0).executeTakeFirst()
  }

  async revokeAccessToken(token: string): Promise<void> {
    await this.db.updateTable('accessTokens').set({ revoked: 1 }).where('token', '=', token).execute()
  }

  /** Revokes the token and reports whether this call was the one that revoked it (single exchange). */
  async revokeIfActive(token: string): Promise<boolean> {
    const result = await this.db.updateTable('accessTokens').set({ revoked: 1 }).where('token', '=', token).where('revoked', '=', 0).executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  async insertFrob(frob: Frob): Promise<void> {
    await this.db.insertInto('frobs').values(frob).execute()
  }

  frob(frob: string): Promise<Frob | undefined> {
    return this.db.selectFrom('frobs').selectAll().where('frob', '=', frob).executeTakeFirst()
  }

  async approveFrob(frob: string, userNsid: string, perms: Perms): Promise<void> {
    await this.db.updateTable('frobs').set({ userNsid, perms }).where('frob', '=', frob).execute()
  }

  async consumeFrob(frob: string): Promise<boolean> {
    const result = await this.db.deleteFrom('frobs').where('frob', '=', frob).executeTakeFirst()
    return Number(result.numDeletedRows) === 1
  }

  async deleteExpired(now: number): Promise<void> {
    await this.db.deleteFrom('requestTokens').where('expiresAt', '<', now).execute()
    await this.db.deleteFrom('frobs').where('expiresAt', '<', now).execute()
  }
}
