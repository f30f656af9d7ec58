import { randomInt, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { newOauthToken, newTokenSecret, newVerifier } from '../../auth/ids.js'
import type { Perms } from '../../db/tables.js'
import { issueAccessToken } from '../../domain/accounts/account-service.js'
import { checkCredentials } from '../../domain/accounts/sign-in.js'
import type { Services } from '../../services.js'
import { appendQuery, consentPage, messagePage, sendPage } from '../auth-pages.js'
import { csrfToken, viewerOf } from '../web/web-kit.js'
import { ACCESS_TOKEN_REQUIRED, authenticate, OAuthProblem, REQUEST_TOKEN_REQUIRED, setOAuthErrorHandler, tokenEndpoint, type TokenStep } from '../oauth-endpoint.js'
import { bodyParams, firstValues, queryParams } from '../request-params.js'

// OAuth 1.0a HMAC-SHA1 as Flickr runs it (reference §4.1–4.4): request_token → authorize → access_token.
// The token endpoints' verification and answers are in ../oauth-endpoint.ts.

/** Request tokens (and so the whole dance) must be finished within this time. */
const REQUEST_TOKEN_SECONDS = 3600
const PERMS = new Set<string>(['read', 'write', 'delete'])
const AUTHORIZE_PATH = '/services/oauth/authorize'

/** `/services/oauth/{request_token,authorize,access_token}`, GET and POST each, in their own error scope. */
export function registerOAuthRoutes(scope: FastifyInstance, services: Services): void {
  setOAuthErrorHandler(scope)
  scope.route({ method: ['GET', 'POST'], url: '/oauth/request_token', handler: tokenEndpoint(services, requestToken) })
  scope.route({ method: ['GET', 'POST'], url: '/oauth/access_token', handler: tokenEndpoint(services, accessToken) })
  scope.get('/oauth/authorize', (request, reply) => showAuthorize(services, request, reply))
  // A signed-in browser approves with its session instead of a password, so that form needs its CSRF token.
  scope.post('/oauth/authorize', { preHandler: (request, reply, done) => (sessionApproval(request) ? scope.csrfProtection(request, reply, done) : done()) }, (request, reply) =>
    answerAuthorize(services, request, reply),
  )
}

/** Step 1: a request token for the consumer, remembering where to send the user afterwards. */
const requestToken: TokenStep = async (services, request, params) => {
  const { app } = await authenticate(services, request, params, REQUEST_TOKEN_REQUIRED)
  const callback = params.find(([name]) => name === 'oauth_callback')![1]
  if (!isAcceptableCallback(callback)) throw new OAuthProblem('parameter_rejected', [['oauth_parameters_rejected', 'oauth_callback']])
  const now = services.clock()
  await services.tokens.deleteExpired(now)
  const token = newOauthToken()
  const secret = newTokenSecret()
  await services.tokens.insertRequestToken({
    token,
    secret,
    apiKey: app.apiKey,
    callback,
    perms: null,
    verifier: null,
    userNsid: null,
    createdAt: now,
    expiresAt: now + REQUEST_TOKEN_SECONDS,
  })
  return [
    ['oauth_callback_confirmed', 'true'],
    ['oauth_token', token],
    ['oauth_token_secret', secret],
  ]
}

const MAX_CALLBACK_LENGTH = 2048

/**
 * `oob`, or an absolute http(s) URL a Location header can carry as it is: printable ASCII only (IDNs
 * in punycode, paths and queries percent-encoded), with a host, at most 2 KiB. Anything else (script
 * and data schemes, app schemes, raw Unicode, CR/LF) is refused here, before any token exists.
 */
export function isAcceptableCallback(callback: string): boolean {
  if (callback === 'oob') return true
  if (callback.length > MAX_CALLBACK_LENGTH || !/^[\x21-\x7e]+$/.test(callback) || !/^https?:\/\/[^/?#]/i.test(callback)) return false
  let url: URL
  try {
    url = new URL(callback)
  } catch {
    return false
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== ''
}

/** Step 3: the approved request token, signed with its secret and carrying its verifier, becomes an access token. */
const accessToken: TokenStep = async (services, request, params) => {
  const now = services.clock()
  const { token } = await authenticate(services, request, params, ACCESS_TOKEN_REQUIRED, async (app, value) => {
    const found = await services.tokens.requestToken(value)
    if (!found || found.apiKey !== app.apiKey || found.expiresAt <= now) throw new OAuthProblem('token_rejected')
    return found
  })
  const approved = token!
  if (!approved.verifier || !approved.userNsid || !approved.perms) throw new OAuthProblem('permission_unknown')
  const guessKeys = [`addr:${request.ip}`, `token:${approved.token}`]
  if (!services.guesses.verifier.allowed(guessKeys)) {
    // A request token that has seen too many wrong verifiers is ended: guessing it is hopeless.
    await services.tokens.consumeRequestToken(approved.token)
    throw new OAuthProblem('token_rejected')
  }
  if (!verifierMatches(approved.verifier, params.find(([name]) => name === 'oauth_verifier')![1])) {
    services.guesses.verifier.fail(guessKeys)
    throw new OAuthProblem('verifier_invalid')
  }
  // Single use: only the call that deletes the request token gets an access token.
  if (!(await services.tokens.consumeRequestToken(approved.token))) throw new OAuthProblem('token_rejected')
  const user = await services.accounts.byNsid(approved.userNsid)
  if (!user) throw new OAuthProblem('permission_denied')
  const issued = await issueAccessToken(services, { userNsid: user.nsid, apiKey: approved.apiKey, perms: approved.perms, legacy: false })
  // Alphabetical, as Flickr answers (reference §4.1 step 3).
  return [
    ['fullname', user.fullname],
    ['oauth_token', issued.token],
    ['oauth_token_secret', issued.secret!],
    ['user_nsid', user.nsid],
    ['username', user.username],
  ]
}

/** Out-of-band codes are typed by people: Flickr's 9-digit `123-456-789`, dashes and spaces optional. */
function newOobVerifier(): string {
  const group = () => String(randomInt(0, 1000)).padStart(3, '0')
  return `${group()}-${group()}-${group()}`
}

function verifierMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected.replace(/[\s-]/g, ''), 'utf8')
  const b = Buffer.from(received.replace(/[\s-]/g, ''), 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The request token behind an authorize page, when it can still be approved; otherwise an error page was sent. */
async function pendingRequest(services: Services, value: string | undefined, reply: FastifyReply) {
  const token = value ? await services.tokens.requestToken(value) : undefined
  const app = token && token.expiresAt > services.clock() && token.verifier === null ? await services.apps.byKey(token.apiKey) : undefined
  if (!token || !app) {
    sendPage(reply, 400, messagePage('Authorization failed', 'This authorization request is unknown, has expired or was already answered. Start again from the application.'))
    return undefined
  }
  return { token, app }
}

function badPerms(reply: FastifyReply, perms: string): FastifyReply {
  return sendPage(reply, 400, messagePage('Authorization failed', `The application asked for an unknown permission "${perms}".`))
}

/** Step 2, GET: who is asking, for what, and the sign-in form. `perms` defaults to read (flickcurl omits it). */
async function showAuthorize(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const query = firstValues(queryParams(request))
  const pending = await pendingRequest(services, query.get('oauth_token'), reply)
  if (!pending) return reply
  const perms = query.get('perms') || 'read'
  if (!PERMS.has(perms)) return badPerms(reply, perms)
  const hidden = [['oauth_token', pending.token.token], ['perms', perms]] as const
  const viewer = await viewerOf(services, request)
  if (viewer) {
    const withCsrf = [...hidden, ['_csrf', csrfToken(reply)]] as const
    return sendPage(reply, 200, consentPage({ appName: pending.app.name, perms, action: AUTHORIZE_PATH, hidden: withCsrf, signedInAs: viewer.username }))
  }
  return sendPage(reply, 200, consentPage({ appName: pending.app.name, perms, action: AUTHORIZE_PATH, hidden }))
}

/** A POST carrying no password from a browser with a session: the session is the sign-in. */
function sessionApproval(request: FastifyRequest): boolean {
  const body = Array.isArray(request.body) ? (request.body as Array<[string, string]>) : []
  return request.session?.get('nsid') !== undefined && !body.some(([name]) => name === 'password')
}

/** Step 2, POST: the form's decision. Approving needs the password or a signed-in session; oauth_token names the request. */
async function answerAuthorize(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const form = firstValues(await bodyParams(request))
  const pending = await pendingRequest(services, form.get('oauth_token'), reply)
  if (!pending) return reply
  const { token, app } = pending
  const perms = form.get('perms') || 'read'
  if (!PERMS.has(perms)) return badPerms(reply, perms)

  const decision = form.get('decision')
  if (decision === 'deny') {
    // The request token dies with the refusal; nothing (no verifier) goes back to a callback.
    await services.tokens.consumeRequestToken(token.token)
    return sendPage(reply, 200, messagePage('Access denied', `You did not allow ${app.name} to access your account. You may close this window.`))
  }
  const username = form.get('username') ?? ''
  const hidden = [['oauth_token', token.token], ['perms', perms]] as const
  if (decision !== 'approve') {
    return sendPage(reply, 400, consentPage({ appName: app.name, perms, action: AUTHORIZE_PATH, hidden, username, error: 'Choose Approve or Deny.' }))
  }
  const user = sessionApproval(request) ? await viewerOf(services, request) : await passwordSignIn(services, request, reply, form, pending)
  if (!user) return reply.sent ? reply : sendPage(reply, 401, consentPage({ appName: app.name, perms, action: AUTHORIZE_PATH, hidden, username, error: 'Sign in again.' }))

  const verifier = token.callback === 'oob' ? newOobVerifier() : newVerifier()
  // The answer is built before the token is marked approved: if it cannot be sent, nothing changed.
  const answer =
    token.callback === 'oob'
      ? () => sendPage(reply, 200, messagePage('Authorization complete', `Enter this code in ${app.name} to finish signing in:`, verifier))
      : redirectTo(reply, appendQuery(token.callback, [['oauth_token', token.token], ['oauth_verifier', verifier]]))
  await services.tokens.authorizeRequestToken(token.token, user.nsid, perms as Perms, verifier)
  return answer()
}

/** The consent form's username and password; on failure the error page was sent and undefined comes back. */
async function passwordSignIn(services: Services, request: FastifyRequest, reply: FastifyReply, form: Map<string, string>, pending: { token: { token: string }; app: { name: string } }) {
  const username = form.get('username') ?? ''
  const perms = form.get('perms') || 'read'
  const hidden = [['oauth_token', pending.token.token], ['perms', perms]] as const
  const page = (error: string) => consentPage({ appName: pending.app.name, perms, action: AUTHORIZE_PATH, hidden, username, error })
  const guessKeys = [`addr:${request.ip}`, `user:${username.toLowerCase()}`, `token:${pending.token.token}`]
  if (!services.guesses.password.allowed(guessKeys)) {
    sendPage(reply, 429, page('Too many attempts. Wait a few minutes, then try again.'))
    return undefined
  }
  const user = await checkCredentials(services, username, form.get('password') ?? '')
  if (!user) {
    services.guesses.password.fail(guessKeys)
    sendPage(reply, 401, page('Wrong username or password.'))
  }
  return user
}

/** A 303 to the app's callback, checked to be header-safe now so the send cannot fail later. */
function redirectTo(reply: FastifyReply, location: string): () => FastifyReply {
  if (!/^[\x21-\x7e]+$/.test(location)) throw new Error('callback location is not header-safe')
  return () => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(location, 303)
}
