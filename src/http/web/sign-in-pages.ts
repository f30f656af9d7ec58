import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AccountError, createUser } from '../../domain/accounts/account-service.js'
import { checkCredentials } from '../../domain/accounts/sign-in.js'
import type { Services } from '../../services.js'
import { requireCsrf, startSession } from './sessions.js'
import { notFound, sendView } from './web-kit.js'

// /signin, /signout and (when signupEnabled) /signup. Wrong passwords count against the address and
// the account in services.guesses.password, the same limiter as the consent pages; a sign-in always
// starts a new session id (no session fixation).

type Form = Record<string, string | undefined>

/** Where to go after signing in: a path on this server only (never `//host`, which leaves it). */
function safeNext(value: string | undefined): string | undefined {
  return value && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : undefined
}

export function registerSignInPages(scope: FastifyInstance, services: Services): void {
  const csrf = requireCsrf(scope)
  const signupEnabled = services.config.signupEnabled
  const show = (request: FastifyRequest, reply: FastifyReply, status: number, extra: object) =>
    sendView(services, request, reply, status, 'signin', { hasForm: true, signupEnabled, ...extra })

  scope.get('/signin', (request, reply) => show(request, reply, 200, { next: safeNext((request.query as Form).next) }))
  scope.post('/signin', { preHandler: csrf }, async (request, reply) => {
    const form = request.body as Form
    const username = form.username ?? ''
    const next = safeNext(form.next)
    const keys = [`addr:${request.ip}`, `user:${username.toLowerCase()}`]
    if (!services.guesses.password.allowed(keys)) return show(request, reply, 429, { username, next, error: 'Too many attempts. Wait a few minutes, then try again.' })
    const account = await checkCredentials(services, username, form.password ?? '')
    if (!account) {
      services.guesses.password.fail(keys)
      return show(request, reply, 401, { username, next, error: 'Wrong username or password.' })
    }
    await startSession(request, account.nsid)
    return reply.redirect(next ?? `/photos/${account.nsid}/`, 303)
  })
  scope.post('/signout', { preHandler: csrf }, async (request, reply) => {
    await request.session.destroy()
    return reply.redirect('/', 303)
  })
  scope.get('/signup', (request, reply) => (signupEnabled ? show(request, reply, 200, { signup: true }) : notFound(reply)))
  scope.post('/signup', { preHandler: csrf }, async (request, reply) => {
    if (!signupEnabled) return notFound(reply)
    const form = request.body as Form
    const username = form.username ?? ''
    if ((form.password ?? '').length < 8) return show(request, reply, 400, { signup: true, username, error: 'Choose a password of at least 8 characters.' })
    try {
      const account = await createUser(services, { username, password: form.password, isPro: false })
      await startSession(request, account.nsid)
      return reply.redirect('/account', 303)
    } catch (failure) {
      if (!(failure instanceof AccountError)) throw failure
      return show(request, reply, 400, { signup: true, username, error: 'That username is taken or not allowed (letters, digits, _ . @ -).' })
    }
  })
}
