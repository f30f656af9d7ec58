import { fetch } from 'undici'
import type { TestApp, TestServer } from './start-server.js'

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

/** flickr.photos.upload.checkTickets as flickr-sdk calls it (JSON, api_key only, unsigned). */
export async function checkTickets(server: TestServer, app: TestApp, ids: string[]): Promise<TicketState[]> {
  const query = new URLSearchParams({ method: 'flickr.photos.upload.checkTickets', api_key: app.apiKey, tickets: ids.join(','), format: 'json', nojsoncallback: '1' })
  const response = await fetch(`${server.url}/services/rest?${query}`, { dispatcher: server.dispatcher })
  const body = (await response.json()) as { stat: string; uploader?: { ticket: TicketState[] }; message?: string }
  if (body.stat !== 'ok') throw new Error(`checkTickets failed: ${JSON.stringify(body)}`)
  return body.uploader!.ticket
}

/** Polls until every ticket is no longer waiting (complete 1 or 2, or invalid). */
export async function waitForTickets(server: TestServer, app: TestApp, ids: string[], timeoutMillis = 60_000): Promise<TicketState[]> {
  const deadline = Date.now() + timeoutMillis
  for (;;) {
    const states = await checkTickets(server, app, ids)
    if (states.every((state) => state.complete !== 0)) return states
    if (Date.now() > deadline) throw new Error(`tickets still waiting: ${JSON.stringify(states)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
