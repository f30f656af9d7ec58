import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { defaultConfig } from '../../src/config/load.js'
import { createServices } from '../../src/create-services.js'
import { TICKET_COMPLETE, TICKET_FAILED, TICKET_WAITING } from '../../src/db/ticket-repository.js'
import { createUser } from '../../src/domain/accounts/account-service.js'
import { runMaintenance } from '../../src/domain/maintenance.js'
import { incomingKey } from '../../src/domain/photos/incoming-blobs.js'

// Incoming blobs (accepted async originals) outlive their job only by accident (a node died between the
// commit and the delete): maintenance removes those of finished or forgotten tickets, never a waiting one's.
test('maintenance deletes incoming blobs of finished tickets and keeps those of waiting ones', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'retake-incoming-'))
  const services = await createServices(defaultConfig({ dataDir }))
  t.after(async () => {
    await services.close()
    await rm(dataDir, { recursive: true, force: true })
  })
  const user = await createUser(services, { username: 'inc', isPro: true })
  const statuses = { waiting: TICKET_WAITING, done: TICKET_COMPLETE, failed: TICKET_FAILED }
  for (const [id, status] of Object.entries(statuses)) {
    await services.tickets.insert({
      id: `t-${id}`, userNsid: user.nsid, kind: 'upload', photoId: null, stagedPath: null, jobPayload: null,
      status, errorCode: null, errorMessage: null, createdAt: services.clock(), completedAt: status === TICKET_WAITING ? null : services.clock(),
    })
    await services.blobs.put(incomingKey(`t-${id}`), Buffer.from(id))
  }
  await services.blobs.put(incomingKey('t-forgotten'), Buffer.from('no ticket'))
  await runMaintenance(services, { startup: false })
  const left: string[] = []
  for await (const key of services.blobs.list('incoming/')) left.push(key)
  assert.deepEqual(left, [incomingKey('t-waiting')])
})
