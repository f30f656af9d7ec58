import type { Kysely, Transaction } from 'kysely'
import type { Database, TicketsTable } from './tables.js'

export type Ticket = TicketsTable

export const TICKET_WAITING = 0
export const TICKET_COMPLETE = 1
export const TICKET_FAILED = 2

/** Async upload/replace tickets, read by flickr.photos.upload.checkTickets whatever queue runs the work. */
export class TicketRepository {
  constructor(readonly db: Kysely<Database> | Transaction<Database>) {}

  async insert(ticket: Ticket): Promise<void> {
    await this.db.insertInto('tickets').values(ticket).execute()
  }

  byId(id: string): Promise<Ticket | undefined> {
    return this.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** The ticket whose id starts with `prefix-` (flickcurl truncates ids at the hyphen). */
  byPrefix(prefix: string): Promise<Ticket | undefined> {
    return this.db.selectFrom('tickets').selectAll().where('id', 'like', `${prefix}-%`).executeTakeFirst()
  }

  async byIds(ids: string[]): Promise<Map<string, Ticket>> {
    if (ids.length === 0) return new Map()
    const rows = await this.db.selectFrom('tickets').selectAll().where('id', 'in', ids).execute()
    return new Map(rows.map((row) => [row.id, row]))
  }

  /**
   * Marks a waiting ticket complete; call in the transaction that commits the photo (idempotent retries).
   * False when the ticket was no longer waiting: another attempt finished it, so this one must roll back.
   */
  async complete(id: string, photoId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('tickets')
      .set({ status: TICKET_COMPLETE, photoId, completedAt: now, stagedPath: null })
      .where('id', '=', id)
      .where('status', '=', TICKET_WAITING)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  /** Marks a waiting ticket failed with its Flickr error; a completed ticket stays complete. */
  async fail(id: string, code: number, message: string, now: number): Promise<void> {
    await this.db
      .updateTable('tickets')
      .set({ status: TICKET_FAILED, errorCode: code, errorMessage: message, completedAt: now, stagedPath: null })
      .where('id', '=', id)
      .where('status', '=', TICKET_WAITING)
      .execute()
  }

  /** Forgets finished tickets older than the retention period; they then read as invalid. */
  async deleteFinishedBefore(cutoff: number): Promise<number> {
    const result = await this.db.deleteFrom('tickets').where('completedAt', '<', cutoff).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  waiting(): Promise<Ticket[]> {
    return this.db.selectFrom('tickets').selectAll().where('status', '=', TICKET_WAITING).execute()
  }

  /** Staged files that waiting tickets still need (everything else in the staging folder is stale). */
  async stagedPathsInUse(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('tickets').select('stagedPath').where('status', '=', TICKET_WAITING).execute()
    return new Set(rows.flatMap((row) => (row.stagedPath ? [row.stagedPath] : [])))
  }

  async waitingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', TICKET_WAITING)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
}
