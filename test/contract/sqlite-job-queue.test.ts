import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js'
import { createJobQueue } from '../../src/jobs/create-job-queue.js'
import { runJobQueueContract } from './job-queue.contract.js'

// A real SQLite file; each instance opens its own connection, as a restarted process would.
runJobQueueContract('SqliteJobQueue', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'retake-jobs-'))
  const handles: DatabaseHandle[] = []
  const open = async () => {
    const handle = await createDatabase({ databaseUrl: null, sqlitePath: join(dir, 'retake.sqlite') })
    handles.push(handle)
    return createJobQueue({ engine: 'sqlite', db: handle.db, workers: 4, retryDelaySeconds: 0, pollMillis: 20, leaseSeconds: 1 })
  }
  return {
    queue: await open(),
    restart: open,
    cleanup: async () => {
      for (const handle of handles) await handle.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
})
