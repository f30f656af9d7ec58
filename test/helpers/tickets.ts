import { fetch, type Dispatcher } from 'undici'
import { waitFor } from './poll.js'

export interface TicketState {
  id: string
  complete?: number
  invalid?: number
  photoid?: string
  imported?: string
  errorcode?: number
  errormsg?: string
  eta?: number
}

/** A running server as the ticket calls need it: a TestServer, or a spawned `retake serve`. */
export interface TicketServer {
  url: string
  dispatcher: Dispatcher
}

/** flickr.photos.upload.checkTickets as flickr-sdk calls it (JSON, api_key only, unsigned). */
export async function checkTickets(server: TicketServer, app: { apiKey: string }, ids: string[]): Promise<TicketState[]> {
  const query = new URLSearchParams({ method: 'flickr.photos.upload.checkTickets', api_key: app.apiKey, tickets: ids.join(','), format: 'json', nojsoncallback: '1' })
  const response = await fetch(`${server.url}/services/rest?${query}`, { dispatcher: server.dispatcher })
  const body = (await response.json()) as { stat: string; uploader?: { ticket: TicketState[] }; message?: string }
  if (body.stat !== 'ok') throw new Error(`checkTickets failed: ${JSON.stringify(body)}`)
  return body.uploader!.ticket
}

/** Polls until every ticket is no longer waiting (complete 1 or 2, or invalid). */
export function waitForTickets(server: TicketServer, app: { apiKey: string }, ids: string[], timeoutMs = 60_000): Promise<TicketState[]> {
  return waitFor(() => checkTickets(server, app, ids), {
    until: (states) => states.every((state) => state.complete !== 0),
    what: `tickets ${ids.join(', ')} to finish`,
    timeoutMs,
    intervalMs: 100,
  })
}
