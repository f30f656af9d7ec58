import { availableParallelism } from 'node:os'
import { methodErrors } from '../../../errors/catalogue.js'
import { FlickrError } from '../../../errors/flickr-error.js'
import type { Ticket } from '../../../db/ticket-repository.js'
import { TICKET_COMPLETE, TICKET_FAILED } from '../../../db/ticket-repository.js'
import { PROCESS_PHOTO } from '../../../domain/photos/photo-job.js'
import { el, list, type Element } from '../../payload.js'
import { nameListArg } from '../../args.js'
import { defineMethod } from '../../registry.js'

const MAX_TICKETS = 100

export const photosUploadCheckTickets = defineMethod({
  name: 'flickr.photos.upload.checkTickets',
  description:
    'Checks the status of one or more asynchronous photo upload or replace tickets. Retake adds `eta` (seconds, an estimate) to waiting tickets and `errorcode`/`errormsg` (the Flickr error met) to failed ones.',
  perms: 'none',
  // flickcurl sends a trailing comma (`tickets=101,102,`); empty items are not tickets.
  args: { tickets: nameListArg('A comma-delimited list of ticket ids (at most 100).') },
  errors: [methodErrors.tooManyTickets],
  async handle(ctx, args) {
    const requested = [...args.tickets]
    if (requested.length > MAX_TICKETS) throw new FlickrError(methodErrors.tooManyTickets, { vars: { max: MAX_TICKETS } })
    const { services } = ctx
    const found = await services.tickets.byIds(requested.filter((id) => id.includes('-')))
    // flickcurl reads ticket ids with atoi, keeping only the digits before '-': accept that prefix too.
    for (const id of requested) {
      if (!found.has(id) && /^\d{1,10}$/.test(id)) {
        const ticket = await services.tickets.byPrefix(id)
        if (ticket) found.set(id, ticket)
      }
    }
    const waitingSeconds = Math.max(1, Math.ceil((await services.queue.depth(PROCESS_PHOTO)) / (services.config.workers ?? availableParallelism())))
    return [el('uploader', undefined, list('ticket', requested.map((id) => ticketElement(id, found.get(id), waitingSeconds))))]
  },
})

function ticketElement(id: string, ticket: Ticket | undefined, etaSeconds: number): Element {
  if (!ticket) return el('ticket', { id, invalid: 1 })
  if (ticket.status === TICKET_COMPLETE) {
    return el('ticket', { id, complete: 1, photoid: ticket.photoId ?? '', imported: String(ticket.completedAt ?? '') })
  }
  if (ticket.status === TICKET_FAILED) {
    return el('ticket', { id, complete: 2, errorcode: ticket.errorCode ?? 3, errormsg: ticket.errorMessage ?? 'General upload failure' })
  }
  return el('ticket', { id, complete: 0, eta: etaSeconds })
}
