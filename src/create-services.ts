import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { MemoryNonceStore } from './auth/nonce-store.js'
import { DbNonceStore } from './db/db-nonce-store.js'
import type { Config } from './config/schema.js'
import { AccountRepository } from './db/account-repository.js'
import { AppRepository } from './db/app-repository.js'
import { createDatabase, type DatabaseHandle } from './db/database.js'
import { SettingsRepository } from './db/settings-repository.js'
import { TokenRepository } from './db/token-repository.js'
import { UsageRepository } from './db/usage-repository.js'
import { BlobGarbageRepository } from './db/blob-garbage-repository.js'
import { PhotoRepository } from './db/photo-repository.js'
import { TicketRepository } from './db/ticket-repository.js'
import { createJobQueue } from './jobs/create-job-queue.js'
import { pgBossLeaseTimings } from './jobs/pg-boss-lease.js'
import { ProcessingSlots } from './domain/photos/processing-slots.js'
import { PhotoService } from './domain/photos/photo-service.js'
import { AlbumService } from './domain/albums/album-service.js'
import { AlbumRepository } from './db/album-repository.js'
import { PhotoListRepository } from './db/photo-list-repository.js'
import { PhotoSearchRepository } from './db/photo-search-repository.js'
import { FavoriteRepository } from './db/favorite-repository.js'
import { TagRepository } from './db/tag-repository.js'
import type { PhotoDeps } from './domain/photos/photo-deps.js'
import { createBlobStore } from './storage/create-blob-store.js'
import { RuntimeSettings } from './domain/runtime-settings.js'
import { CredentialCache } from './domain/accounts/credential-cache.js'
import { LOCAL_ONLY, openPgRevocations } from './domain/accounts/token-revocations.js'
import { UsageReportCache } from './domain/accounts/usage-report-cache.js'
import type { Clock, Services } from './services.js'
import { AttemptLimiter } from './domain/accounts/attempt-limiter.js'

/** 10 wrong passwords, or 5 wrong verifiers, per key in 15 minutes; a request token's 5th wrong verifier ends it. */
const GUESS_LIMITS = { password: { max: 10, windowMillis: 15 * 60_000 }, verifier: { max: 5, windowMillis: 15 * 60_000 } }

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
  const blobs = await createBlobStore(config).catch(async (error: unknown) => {
    await database.close()
    throw error
  })
  const queue = openJobQueue(config, database, options.pgSchema)
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
    blobs,
    stagingDir: join(config.dataDir, 'staging'),
    queue,
    processingSlots: new ProcessingSlots(config.syncConcurrency ?? availableParallelism(), config.syncWaitSeconds * 1000),
    clock,
    limits: { plans: config.plans, maxInputPixels: config.maxInputPixels, queueMaxDepth: config.queueMaxDepth },
    faults: options.faults,
  }
  const photoLists = new PhotoListRepository(db)
  const albums = new AlbumService({ database, albums: new AlbumRepository(db), photos: photoDeps.photos, photoLists, accounts, clock, setsChanged: (nsid) => usageReport.forget(nsid) })
  usageReport.countSets = (nsid) => albums.countOwned(nsid)
  const credentials = new CredentialCache(apps, tokens, accounts)
  const revocations = database.engine === 'postgres'
    ? await openPgRevocations({ databaseUrl: config.databaseUrl!, pgSchema: options.pgSchema, credentials, onError: (error) => console.error('token revocations:', error) })
    : LOCAL_ONLY
  const services: Services = {
    config,
    database,
    accounts,
    apps,
    tokens,
    credentials,
    revocations,
    usage,
    usageReport,
    settings: new RuntimeSettings(new SettingsRepository(db), config.readOnly),
    // Shared across nodes on PostgreSQL; SQLite is one node, where memory is enough and cheaper.
    nonces: database.engine === 'postgres'
      ? new DbNonceStore(db, { windowSeconds: config.oauthTimestampWindowSeconds })
      : new MemoryNonceStore({ windowSeconds: config.oauthTimestampWindowSeconds }),
    clock,
    photos: photoDeps.photos,
    blobGarbage: photoDeps.blobGarbage,
    tickets: photoDeps.tickets,
    queue,
    blobs,
    stagingDir: photoDeps.stagingDir,
    photoService: new PhotoService(photoDeps),
    guesses: {
      password: new AttemptLimiter(GUESS_LIMITS.password, () => clock() * 1000),
      verifier: new AttemptLimiter(GUESS_LIMITS.verifier, () => clock() * 1000),
    },
    photoLists,
    albums,
    // Issue 9
    photoSearch: new PhotoSearchRepository(db),
    favorites: new FavoriteRepository(db),
    tags: new TagRepository(db),
  }
  return {
    ...services,
    async close() {
      await queue.stop({ graceMillis: 0 }).catch(() => undefined)
      await revocations.close()
      await database.close()
      await blobs.close()
    },
  }
}

/** SQLite's table queue on the embedded default; pg-boss beside PostgreSQL. */
function openJobQueue(config: Config, database: DatabaseHandle, pgSchema: string | undefined) {
  const workers = config.workers ?? availableParallelism()
  if (database.engine === 'postgres') {
    const lease = pgBossLeaseTimings(config.jobExpireSeconds)
    return createJobQueue({
      engine: 'postgres',
      databaseUrl: config.databaseUrl!,
      // Tests isolate the app in a schema; pg-boss then gets its own beside it.
      pgSchema: pgSchema ? `${pgSchema}_boss` : undefined,
      workers,
      // A job lost with its node is retried within about 1.5 leases plus the retry delay (40 s by default).
      expireInSeconds: lease.expireInSeconds,
      maintenanceIntervalSeconds: lease.maintenanceIntervalSeconds,
    })
  }
  return createJobQueue({ engine: 'sqlite', db: database.db, workers, leaseSeconds: config.jobLeaseSeconds })
}
