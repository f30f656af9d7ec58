import type { Config } from './config/schema.js'
import type { AccountRepository } from './db/account-repository.js'
import type { AppRepository } from './db/app-repository.js'
import type { DatabaseHandle } from './db/database.js'
import type { TokenRepository } from './db/token-repository.js'
import type { UsageRepository } from './db/usage-repository.js'
import type { NonceStore } from './auth/nonce-store.js'
import type { CredentialCache } from './domain/accounts/credential-cache.js'
import type { RevocationAnnouncer } from './domain/accounts/token-revocations.js'
import type { UsageReportCache } from './domain/accounts/usage-report-cache.js'
import type { RuntimeSettings } from './domain/runtime-settings.js'
import type { BlobGarbageRepository } from './db/blob-garbage-repository.js'
import type { PhotoRepository } from './db/photo-repository.js'
import type { TicketRepository } from './db/ticket-repository.js'
import type { JobQueue } from './jobs/job-queue.js'
import type { PhotoService } from './domain/photos/photo-service.js'
import type { AttemptLimiter } from './domain/accounts/attempt-limiter.js'
import type { AlbumService } from './domain/albums/album-service.js'
import type { PhotoListRepository } from './db/photo-list-repository.js'
import type { BlobStore } from './storage/blob-store.js'
import type { PhotoSearchRepository } from './db/photo-search-repository.js'
import type { FavoriteRepository } from './db/favorite-repository.js'
import type { TagRepository } from './db/tag-repository.js'

/** Unix time in seconds; injected so tests can move it. */
export type Clock = () => number

/** Everything request handlers may use, built once by createServices and passed explicitly. */
export interface Services {
  config: Config
  database: DatabaseHandle
  accounts: AccountRepository
  apps: AppRepository
  tokens: TokenRepository
  usage: UsageRepository
  /** Cached app/token/account lookups for signed calls */
  credentials: CredentialCache
  /** Tells every node a token was revoked (PostgreSQL NOTIFY; nothing to tell on SQLite) */
  revocations: RevocationAnnouncer
  /** Usage figures for getUploadStatus (briefly cached; limit checks read `usage` directly) */
  usageReport: UsageReportCache
  settings: RuntimeSettings
  nonces: NonceStore
  clock: Clock
  photos: PhotoRepository
  blobGarbage: BlobGarbageRepository
  tickets: TicketRepository
  /** Runs async upload/replace work: SQLite table queue or pg-boss */
  queue: JobQueue
  blobs: BlobStore
  /** Where uploads are spooled before anything else happens (same filesystem as the blobs) */
  stagingDir: string
  /** Upload, replace, the async worker's runs, edits, deletes and the visibility rule */
  photoService: PhotoService
  /** Failed guesses: consent-page passwords (per address, account, request token) and OAuth verifiers */
  guesses: { password: AttemptLimiter; verifier: AttemptLimiter }
  /** Batch lookups for photo lists and contexts (url_* extras, tags, photostream neighbours) */
  photoLists: PhotoListRepository
  /** Albums (photosets): lists, membership, order, contexts */
  albums: AlbumService
  // --- Issue 9: search and favourites ---
  /** photos.search, getRecent, recentlyUpdated */
  photoSearch: PhotoSearchRepository
  favorites: FavoriteRepository
  /** tags.getListUser* */
  tags: TagRepository
}
