import { newTicketId } from '../../auth/ids.js'
import type { Account } from '../../db/account-repository.js'
import { TICKET_WAITING } from '../../db/ticket-repository.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { PROCESS_PHOTO, type ProcessPhotoPayload } from '../../jobs/process-photo.job.js'
import type { Services } from '../../services.js'

/**
 * Accepts an async upload/replace whose cheap checks passed: records the ticket (with the job's
 * payload, so start-up can re-enqueue it if this process dies before the enqueue lands), then
 * enqueues the job under the ticket's id. Refuses with 105 and Retry-After when the queue is full.
 */
export async function acceptAsync(
  services: Services,
  user: Account,
  job: Omit<ProcessPhotoPayload, 'ticketId' | 'userNsid'>,
): Promise<string> {
  const depth = await services.queue.depth(PROCESS_PHOTO)
  if (depth >= services.config.queueMaxDepth) {
    throw new FlickrError(105, 'Service currently unavailable', { retryAfterSeconds: Math.max(5, Math.ceil(depth / 10)) })
  }
  const ticketId = newTicketId()
  const payload: ProcessPhotoPayload = { ...job, ticketId, userNsid: user.nsid }
  await services.tickets.insert({
    id: ticketId,
    userNsid: user.nsid,
    kind: job.kind,
    photoId: job.kind === 'replace' ? job.photoId : null,
    stagedPath: job.staged.path,
    jobPayload: JSON.stringify(payload),
    status: TICKET_WAITING,
    errorCode: null,
    errorMessage: null,
    createdAt: services.clock(),
    completedAt: null,
  })
  await services.queue.enqueue(PROCESS_PHOTO, payload, { id: ticketId })
  return ticketId
}

/** Start-up: every waiting ticket gets its job (enqueue with an existing id is a no-op). */
export async function reenqueueWaitingTickets(services: Services): Promise<number> {
  let count = 0
  for (const ticket of await services.tickets.waiting()) {
    if (!ticket.jobPayload) continue
    await services.queue.enqueue(PROCESS_PHOTO, JSON.parse(ticket.jobPayload) as ProcessPhotoPayload, { id: ticket.id })
    count++
  }
  return count
}
