import pg from 'pg'

export interface NotifyChannelOptions {
  databaseUrl: string
  /** Channel name; tests isolated in a schema pass one that includes it, so runs never hear each other. */
  channel: string
  /** A message from any node (this one included). */
  onMessage: (payload: string) => void
  /** The listening connection was lost and re-made: messages in between may be missed. */
  onReconnect: () => void
  onError: (error: unknown) => void
}

const RECONNECT_MILLIS = 1000

/**
 * PostgreSQL LISTEN/NOTIFY on one dedicated connection (a pooled one may be handed to someone else, and
 * LISTEN belongs to a session). NOTIFY reaches every listening node at once, well within a second.
 */
export class PgNotifyChannel {
  readonly #options: NotifyChannelOptions
  #client: pg.Client | undefined
  #closed = false
  #retry: NodeJS.Timeout | undefined

  private constructor(options: NotifyChannelOptions) {
    this.#options = options
  }

  static async open(options: NotifyChannelOptions): Promise<PgNotifyChannel> {
    const channel = new PgNotifyChannel(options)
    await channel.#listen()
    return channel
  }

  /** Sends `payload` to every node's listener (through any connection: NOTIFY needs no session). */
  async publish(payload: string): Promise<void> {
    const client = this.#client
    if (!client) throw new Error('notify channel is not connected')
    await client.query('SELECT pg_notify($1, $2)', [this.#options.channel, payload])
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#retry)
    await this.#client?.end().catch(() => undefined)
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#options.databaseUrl })
    client.on('notification', (message) => {
      if (message.channel === this.#options.channel && message.payload !== undefined) this.#options.onMessage(message.payload)
    })
    client.on('error', (error) => this.#client === client && this.#lost(error))
    client.on('end', () => this.#client === client && this.#lost(undefined))
    try {
      await client.connect()
      await client.query(`LISTEN "${this.#options.channel.replace(/"/g, '')}"`)
    } catch (error) {
      await client.end().catch(() => undefined)
      throw error
    }
    this.#client = client
  }

  /** Re-listens every second until it works; the owner is told, since messages may have been missed. */
  #lost(error: unknown): void {
    if (this.#closed || this.#retry) return
    this.#client = undefined
    if (error) this.#options.onError(error)
    this.#retry = setTimeout(() => {
      this.#retry = undefined
      this.#listen().then(this.#options.onReconnect, (failure: unknown) => this.#lost(failure))
    }, RECONNECT_MILLIS)
    this.#retry.unref()
  }
}
