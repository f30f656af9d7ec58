import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { verifyApiSig } from '../../auth/api-sig.js'
import type { App } from '../../db/app-repository.js'
import type { Perms } from '../../db/tables.js'
import { createFrob, findFrob } from '../../domain/accounts/legacy-auth.js'
import { checkCredentials } from '../../domain/accounts/sign-in.js'
import type { Services } from '../../services.js'
import { appendQuery, consentPage, messagePage, sendPage } from '../auth-pages.js'
import type { ParamList } from '../flickr-auth.js'
import { bodyParams, firstValues, queryParams } from '../request-params.js'

// Flickr's legacy auth page (reference §4.6): `/services/auth/?api_key=…&perms=…[&frob=…]&api_sig=…`.
// Desktop flow (with a frob): approval marks the frob, the app then calls flickr.auth.getToken.
// Web flow (no frob): approval creates an approved frob and sends the browser to the app's callback.
// The form carries the signed query back as hidden fields and the POST verifies the signature again,
// so the decision cannot be applied to a request the app did not sign.

const AUTH_PATH = '/services/auth'
const PERMS = new Set<string>(['read', 'write', 'delete'])
/** Fields the form adds to the signed request; never part of the api_sig. */
const FORM_FIELDS = new Set(['username', 'password', 'decision'])

interface LegacyRequest {
  app: App
  perms: Perms
  frob: string | undefined
  /** The signed parameters, to carry through the form */
  signed: ParamList
}

/** Registered in the Flickr edge under /services; failures here are pages, not envelopes. */
export function registerLegacyAuthRoutes(scope: FastifyInstance, services: Services): void {
  scope.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode
    if (status !== undefined && status >= 400 && status < 500) return fail(reply, 400, 'The request could not be read. Start again from the application.')
    request.log.error({ err: error }, 'legacy auth page failed')
    return sendPage(reply, 500, messagePage('Something went wrong', 'The page could not be shown. Please try again later.'))
  })
  scope.get('/auth', (request, reply) => showAuth(services, request, reply))
  scope.post('/auth', (request, reply) => answerAuth(services, request, reply))
}

function fail(reply: FastifyReply, status: number, text: string): FastifyReply {
  return sendPage(reply, status, messagePage('Authorization failed', text))
}

/** Checks the signed request; on failure sends the error page and returns undefined. */
async function checkRequest(services: Services, signed: ParamList, reply: FastifyReply): Promise<LegacyRequest | undefined> {
  const params = firstValues(signed)
  const app = params.get('api_key') ? await services.apps.byKey(params.get('api_key')!) : undefined
  if (!app) {
    fail(reply, 400, 'The application used an invalid API key.')
    return undefined
  }
  const apiSig = params.get('api_sig')
  if (!apiSig || !verifyApiSig(app.secret, signed, apiSig)) {
    fail(reply, 403, `${app.name} sent a request with a missing or invalid signature (api_sig).`)
    return undefined
  }
  const perms = params.get('perms') || 'read'
  if (!PERMS.has(perms)) {
    fail(reply, 400, `${app.name} asked for an unknown permission "${perms}".`)
    return undefined
  }
  const frob = params.get('frob') || undefined
  if (frob !== undefined) {
    const found = await findFrob(services, frob, app.apiKey)
    if (!found || found.userNsid !== null) {
      fail(reply, 400, 'This authorization request (frob) is unknown, has expired or was already answered. Start again from the application.')
      return undefined
    }
  }
  return { app, perms: perms as Perms, frob, signed }
}

async function showAuth(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const checked = await checkRequest(services, queryParams(request).filter(([name]) => !FORM_FIELDS.has(name)), reply)
  if (!checked) return reply
  return sendPage(reply, 200, consentPage({ appName: checked.app.name, perms: checked.perms, action: AUTH_PATH, hidden: checked.signed }))
}

async function answerAuth(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const fields = await bodyParams(request)
  const checked = await checkRequest(services, fields.filter(([name]) => !FORM_FIELDS.has(name)), reply)
  if (!checked) return reply
  const { app, perms, frob } = checked
  const form = firstValues(fields)
  const decision = form.get('decision')
  if (decision === 'deny') {
    if (frob) await services.tokens.consumeFrob(frob)
    return sendPage(reply, 200, messagePage('Access denied', `You did not allow ${app.name} to access your account. You may close this window.`))
  }
  const username = form.get('username') ?? ''
  const again = (status: number, error: string) =>
    sendPage(reply, status, consentPage({ appName: app.name, perms, action: AUTH_PATH, hidden: checked.signed, username, error }))
  if (decision !== 'approve') return again(400, 'Choose Approve or Deny.')
  const user = await checkCredentials(services, username, form.get('password') ?? '')
  if (!user) return again(401, 'Wrong username or password.')

  if (frob) {
    await services.tokens.approveFrob(frob, user.nsid, perms)
    return sendPage(
      reply,
      200,
      messagePage('Authorization complete', `You have allowed ${app.name} ${perms} access to your account. You may close this window and return to ${app.name}.`),
    )
  }
  const approvedFrob = await createFrob(services, app.apiKey, { userNsid: user.nsid, perms })
  if (app.callbackUrl) {
    const location = appendQuery(app.callbackUrl, [['frob', approvedFrob]])
    return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(location, 303)
  }
  // No callback registered for the app: hand the frob over by hand, like the oob code of OAuth.
  return sendPage(reply, 200, messagePage('Authorization complete', `${app.name} has no callback address. Give it this frob to finish:`, approvedFrob))
}
