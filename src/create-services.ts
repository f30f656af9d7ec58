import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { MemoryNonceStore } from './auth/nonce-store.js'
import type { Config } from './config/schema.js'
import { AccountRepository } from './db/account-repository.js'
import { AppRepository } from './db/app-repository.js'
import { createDatabase } from './db/database.js'
import { SettingsRepository } from './db/settings-repository.js'
import { TokenRepository } from './db/token-repository.js'
import { UsageRepository } from './db/usage-repository.js'
import { BlobGarbageRepository } from './db/blob-garbage-repository.js'
import { PhotoRepository } from './db/photo-repository.js'
import { TicketRepository } from './db/ticket-repository.js'
import { createJobQueue } from './jobs/create-job-queue.js'
import { ProcessingSlots } from './domain/photos/processing-slots.js'
import { PhotoService } from './domain/photos/photo-service.js'
import { AlbumService } from './domain/albums/album-service.js'
import { AlbumRepository } from './db/album-repository.js'
import { PhotoListRepository } from './db/photo-list-repository.js'
import type { PhotoDeps } from './domain/photos/photo-deps.js'
import { FsBlobStore } from './storage/fs-blob-store.js'
import { RuntimeSettings } from './domain/runtime-settings.js'
import { CredentialCache } from './domain/accounts/credential-cache.js'
import { UsageReportCache } from './domain/accounts/usage-report-cache.js'
import type { Clock, Services } from './services.js'

export interface CreateServicesOptions {
  clock?: Clock
  /** PostgreSQL schema (tests isolate themselves) */
  pgSchema?: string
  /** Test-only fault injection for photo processing */
  faults?: PhotoDeps['faults']
}

/** Opens storage and wires every service once; the only place that picks implementations. */
export async function createServices(config: Config, options: CreateServicesOptions = {}): Promise<Services & { close(): Promise<void> }> {
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    sqlitePath: join(config.dataDir, 'retake.db'),
    pgSchema: options.pgSchema,
  })
  const db = database.db
  const workers = config.workers ?? availableParallelism()
  const queue =
    database.engine === 'postgres'
      ? createJobQueue({
          engine: 'postgres',
          databaseUrl: config.databaseUrl!,
          // Tests isolate the app in a schema; pg-boss then gets its own beside it.
          pgSchema: options.pgSchema ? `${options.pgSchema}_boss` : undefined,
          workers,
          expireInSeconds: config.jobExpireSeconds,
        })
      : createJobQueue({ engine: 'sqlite', db, workers, leaseSeconds: config.jobLeaseSeconds })
  const accounts = new AccountRepository(db)
  const apps = new AppRepository(db)
  const tokens = new TokenRepository(db)
  const usage = new UsageRepository(db)
  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000))
  const usageReport = new UsageReportCache(usage)
  const photoDeps: PhotoDeps = {
    database,
    photos: new PhotoRepository(db),
    accounts,
    blobGarbage: new BlobGarbageRepository(db),
    tickets: new TicketRepository(db),
    usage,
    usageReport,
    blobs: new FsBlobStore(join(config.dataDir, 'blobs')),
    queue,
    processingSlots: new ProcessingSlots(config.syncConcurrency ?? availableParallelism(), config.syncWaitSeconds * 1000),
    clock,
    limits: { plans: config.plans, maxInputPixels: config.maxInputPixels, queueMaxDepth: config.queueMaxDepth },
    faults: options.faults,
  }
  const photoLists = new PhotoListRepository(db)
  const albums = new AlbumService({ database, albums: new AlbumRepository(db), photos: photoDeps.photos, photoLists, accounts, clock })
  const services: Services = {
    config,
    database,
    accounts,
    apps,
    tokens,
    credentials: new CredentialCache(apps, tokens, accounts),
    usage,
    usageReport,
    settings: new RuntimeSettings(new SettingsRepository(db), config.readOnly),
    nonces: new MemoryNonceStore({ windowSeconds: config.oauthTimestampWindowSeconds }),
    clock,
    photos: photoDeps.photos,
    blobGarbage: photoDeps.blobGarbage,
    tickets: photoDeps.tickets,
    queue,
    blobs: photoDeps.blobs,
    stagingDir: join(config.dataDir, 'staging'),
    photoService: new PhotoService(photoDeps),
    photoLists,
    albums,
  }
  return {
    ...services,
    async close() {
      await queue.stop({ graceMillis: 0 }).catch(() => undefined)
      await database.close()
    },
  }
}
