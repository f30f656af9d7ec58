import type { FastifyBaseLogger } from 'fastify'
import { UnknownMethodRepository } from '../db/unknown-method-repository.js'
import type { Services } from '../services.js'

// What an unmodified program asks for that Retake lacks is the to-do list of drop-in mode: each
// (method, app) pair is logged once per run and counted in the database for `retake report`.

// Names are the caller's to write: only method-shaped ones are kept, so the table holds no junk.
const METHOD_NAME = /^flickr\.[A-Za-z0-9_.]{1,100}$/

export class UnknownMethodRecorder {
  private readonly logged = new Set<string>()
  private readonly repository: UnknownMethodRepository

  constructor(private readonly services: Pick<Services, 'database' | 'clock'>) {
    this.repository = new UnknownMethodRepository(services.database.db)
  }

  /** Never throws: a failed count must not turn the caller's error 112 into a 500. */
  async record(method: string, appName: string, log: FastifyBaseLogger): Promise<void> {
    if (!METHOD_NAME.test(method)) return
    const pair = `${method}\u0000${appName}`
    // Bounded: a program inventing names cannot grow the set without end (the counts still grow).
    if (!this.logged.has(pair) && this.logged.size < 10_000) {
      this.logged.add(pair)
      log.warn({ unknownMethod: method, app: appName }, 'drop-in: a program called a method Retake does not serve')
    }
    try {
      await this.repository.count(method, appName, this.services.clock())
    } catch (error) {
      log.error({ err: error }, 'drop-in: counting an unknown method failed')
    }
  }
}
