import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request } from 'undici'
import { runMaintenance } from '../../src/domain/maintenance.js'
import { testBackends } from '../helpers/backends.js'
import { makeJpeg } from '../helpers/images.js'
import { oauthSigner, signedParams } from '../helpers/oauth-client.js'
import { parsePhotoResponse } from '../helpers/photo-calls.js'
import { waitFor } from '../helpers/poll.js'
import { startTestServer, type TestApp, type TestServer } from '../helpers/start-server.js'
import { checkTickets, waitForTickets } from '../helpers/tickets.js'

/** A gate the fault hook waits on: processing stops at `before-render` until it is opened. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  let waiting = 0
  return { opened, open: () => open(), enter: () => waiting++, get waiting() { return waiting } }
}

for (const backend of testBackends()) {
  describe(`back-pressure and ticket retention (${backend.name})`, () => {
    let server: TestServer
    let app: TestApp
    let write: { key: string; secret: string }
    let hold: ReturnType<typeof gate> | null = null
    let now = Math.floor(Date.now() / 1000)

    before(async () => {
      server = await startTestServer({
        backend,
        clock: () => now,
        config: { workers: 1, queueMaxDepth: 1, syncConcurrency: 1, syncWaitSeconds: 0.5, ticketRetentionDays: 7 },
        faults: async (step) => {
          if (step === 'before-render' && hold) {
            hold.enter()
            await hold.opened
          }
        },
      })
      ;({ app, token: write } = await server.createUploader())
    })
    after(() => server.close())

    const uploadRaw = async (fields: Record<string, string>) => {
      const url = `${server.url}/services/upload/`
      const data = await makeJpeg({ width: 64, height: 64 })
      const oauth = signedParams({ method: 'POST', url, params: fields, consumer: { key: app.apiKey, secret: app.secret }, token: write })
      const form = new FormData()
      for (const [name, value] of Object.entries(fields)) form.append(name, value)
      form.append('photo', new Blob([data]), 'a.jpg')
      const response = await request(url, {
        method: 'POST',
        body: form,
        headers: { authorization: oauthSigner({ key: app.apiKey, secret: app.secret }).toHeader(oauth as never).Authorization },
        dispatcher: server.dispatcher,
      })
      return { retryAfter: response.headers['retry-after'], ...parsePhotoResponse(await response.body.text()) }
    }

    it('an async request past queueMaxDepth gets 105 with Retry-After; accepted ones still complete', async () => {
      hold = gate()
      const running = await uploadRaw({ async: '1' })
      await waitFor(() => hold!.waiting === 1, { what: 'the one worker to be busy' })
      const waiting = await uploadRaw({ async: '1' }) // depth 1: the queue is now full
      const refused = await uploadRaw({ async: '1' })
      assert.equal(refused.errCode, 105)
      assert.match(String(refused.retryAfter), /^\d+$/)
      const [state] = await checkTickets(server, app, [waiting.ticketId!])
      assert.equal(state!.complete, 0)
      assert.ok(typeof state!.eta === 'number' && state!.eta > 0, 'a waiting ticket carries an eta')
      hold.open()
      hold = null
      const done = await waitForTickets(server, app, [running.ticketId!, waiting.ticketId!])
      assert.deepEqual(done.map((ticket) => ticket.complete), [1, 1])
    })

    it('a sync request beyond syncConcurrency waits in line, then gets 105', async () => {
      hold = gate()
      const first = uploadRaw({})
      await waitFor(() => hold!.waiting === 1, { what: 'the first sync request to hold the one slot' })
      const second = await uploadRaw({})
      assert.equal(second.errCode, 105)
      hold.open()
      hold = null
      assert.ok((await first).id)
    })

    it('finished tickets are forgotten after the retention period and then read as invalid', async () => {
      const accepted = await uploadRaw({ async: '1' })
      await waitForTickets(server, app, [accepted.ticketId!])
      await runMaintenance(server.running.services, { startup: false })
      assert.equal((await checkTickets(server, app, [accepted.ticketId!]))[0]!.complete, 1, 'kept within the retention period')
      now += 8 * 86400
      await runMaintenance(server.running.services, { startup: false })
      assert.deepEqual(await checkTickets(server, app, [accepted.ticketId!]), [{ id: accepted.ticketId!, invalid: 1 }])
    })
  })
}
