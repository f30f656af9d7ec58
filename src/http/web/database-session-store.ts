import type { Session } from 'fastify'
import type { SessionRepository } from '../../db/session-repository.js'

// @fastify/session's store interface over the web_sessions table, so a session made on one node is
// seen by every other. Expired rows are swept now and then on writes instead of by a timer.

type Done = (error?: unknown) => void
type Clock = () => number

const SWEEP_EVERY = 100

export class DatabaseSessionStore {
  #writes = 0

  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly maxAgeSeconds: number,
  ) {}

  set(id: string, session: Session, done: Done): void {
    const expires = session.cookie.expires ? Math.floor(new Date(session.cookie.expires).getTime() / 1000) : this.clock() + this.maxAgeSeconds
    const sweep = ++this.#writes % SWEEP_EVERY === 0 ? this.sessions.deleteExpired(this.clock()) : Promise.resolve()
    sweep.then(() => this.sessions.put(id, JSON.stringify(session), expires)).then(() => done(), done)
  }

  get(id: string, done: (error: unknown, session?: Session | null) => void): void {
    this.sessions.get(id, this.clock()).then(
      (data) => done(null, data === undefined ? null : (JSON.parse(data) as Session)),
      (error: unknown) => done(error),
    )
  }

  destroy(id: string, done: Done): void {
    this.sessions.delete(id).then(() => done(), done)
  }
}
