import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../db/account-repository.js'
import type { App } from '../../db/app-repository.js'
import { appGrants, createOwnApp, revokeApp } from '../../domain/accounts/app-grants.js'
import { planOf, uploadStatus, type UploadStatus } from '../../domain/accounts/upload-status.js'
import type { Services } from '../../services.js'
import { requireCsrf } from './sessions.js'
import { sendView, viewerOf } from './web-kit.js'

// /account: plan and usage (the getUploadStatus figures, as bars), the apps the user owns (a new
// key's secret is shown in full once, in the answer to its creation) and the apps holding tokens
// for the user, each revocable.

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

function bar(id: string, label: string, used: number, max: number | null, format: (n: number) => string) {
  const percent = max === null || max === 0 ? 0 : Math.min(100, Math.round((used / max) * 100))
  return { id, label, percent, text: max === null ? `${format(used)} (unlimited)` : `${format(used)} of ${format(max)}` }
}

function bars(status: UploadStatus) {
  const bandwidthMax = status.bandwidth.unlimited ? null : status.bandwidth.maxBytes
  return [
    bar('bandwidth', 'Uploaded this month', status.bandwidth.usedBytes, bandwidthMax, megabytes),
    bar('photos', 'Photos', status.photos.uploaded, status.photos.max, String),
  ]
}

async function showAccount(services: Services, request: FastifyRequest, reply: FastifyReply, user: Account, created?: App) {
  const usage = await services.usageReport.get(user.nsid, services.clock())
  const status = uploadStatus(user, planOf(user, services.config.plans), usage)
  const grants = appGrants(services)
  const [owned, granted] = await Promise.all([grants.owned(user.nsid), grants.granted(user.nsid)])
  return sendView(services, request, reply, created ? 201 : 200, 'account', {
    status,
    bars: bars(status),
    maxFile: megabytes(status.fileSize.maxBytes),
    created,
    owned: owned.map((app) => ({ name: app.name, apiKey: app.apiKey, maskedSecret: `${app.secret.slice(0, 4)}…` })),
    granted,
  })
}

export function registerAccountPage(scope: FastifyInstance, services: Services): void {
  const csrf = requireCsrf(scope)
  const signedIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const user = await viewerOf(services, request)
    if (!user) reply.redirect(`/signin?next=${encodeURIComponent('/account')}`, 303)
    return user
  }
  scope.get('/account', async (request, reply) => {
    const user = await signedIn(request, reply)
    return user ? showAccount(services, request, reply, user) : reply
  })
  scope.post('/account/apps', { preHandler: csrf }, async (request, reply) => {
    const user = await signedIn(request, reply)
    if (!user) return reply
    await services.settings.assertWritable()
    const app = await createOwnApp(services, user, (request.body as Record<string, string | undefined>).name ?? '')
    return showAccount(services, request, reply, user, app)
  })
  scope.post('/account/apps/:apiKey/revoke', { preHandler: csrf }, async (request, reply) => {
    const user = await signedIn(request, reply)
    if (!user) return reply
    await revokeApp(services, user, (request.params as { apiKey: string }).apiKey)
    return reply.redirect('/account', 303)
  })
}
