import { randomBytes } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifySession from '@fastify/session'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SessionRepository } from '../../db/session-repository.js'
import type { Services } from '../../services.js'
import { DatabaseSessionStore } from './database-session-store.js'

// Cookie sessions for the web app, registered on the root instance so the OAuth authorize page (in
// the Flickr edge's scope) sees the same signed-in user. API clients send no cookie, and nothing is
// stored for a visitor who never signs in (saveUninitialized: false).

const SESSION_SECONDS = 14 * 24 * 3600
const SECRET_SETTING = 'web.sessionSecret'

/** The cookie-signing secret: made once and kept in the database, so every node signs alike. */
async function sessionSecret(services: Services): Promise<string> {
  await services.database.db
    .insertInto('settings')
    .values({ key: SECRET_SETTING, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  const row = await services.database.db.selectFrom('settings').select('value').where('key', '=', SECRET_SETTING).executeTakeFirstOrThrow()
  return row.value
}

/** The form's `_csrf` field, from a urlencoded object body or the Flickr edge's ParamList, else a header. */
function csrfTokenOf(request: FastifyRequest): string | undefined {
  const body = request.body as unknown
  const fromBody = Array.isArray(body)
    ? (body as Array<[string, string]>).find(([name]) => name === '_csrf')?.[1]
    : body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined
  if (typeof fromBody === 'string') return fromBody
  const header = request.headers['x-csrf-token']
  return typeof header === 'string' ? header : undefined
}

export async function registerSessions(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(fastifyCookie)
  // Expiry is wall-clock time, as the cookie's own (services.clock may be moved by tests).
  const store = new DatabaseSessionStore(new SessionRepository(services.database.db), () => Math.floor(Date.now() / 1000), SESSION_SECONDS)
  await app.register(fastifySession, {
    secret: await sessionSecret(services),
    cookieName: 'retake_session',
    store,
    saveUninitialized: false,
    cookie: { secure: true, httpOnly: true, sameSite: 'lax', path: '/', maxAge: SESSION_SECONDS * 1000 },
  })
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session', getToken: csrfTokenOf })
}

/** preHandler for state-changing web routes: a missing or wrong `_csrf` answers 403. */
export function requireCsrf(app: FastifyInstance) {
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => app.csrfProtection(request, reply, done)
}

/**
 * Signs the account in on a new session id (no fixation of an id seen before sign-in); the anonymous
 * session that held the sign-in form's CSRF secret is deleted rather than left to expire.
 */
export async function startSession(request: FastifyRequest, nsid: string): Promise<void> {
  const previous = request.session.sessionId
  await request.session.regenerate()
  request.session.set('nsid', nsid)
  await new Promise<void>((resolve, reject) => request.sessionStore.destroy(previous, (error) => (error ? reject(error) : resolve())))
}
