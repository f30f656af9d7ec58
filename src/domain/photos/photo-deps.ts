import type { Config } from '../../config/schema.js'
import type { AccountRepository } from '../../db/account-repository.js'
import type { BlobGarbageRepository } from '../../db/blob-garbage-repository.js'
import type { DatabaseHandle } from '../../db/database.js'
import type { PhotoRepository } from '../../db/photo-repository.js'
import type { TicketRepository } from '../../db/ticket-repository.js'
import type { UsageRepository } from '../../db/usage-repository.js'
import type { BlobStore } from '../../storage/blob-store.js'
import type { UsageReportCache } from '../accounts/usage-report-cache.js'
import type { PhotoJobQueue } from './photo-job.js'
import type { ProcessingSlots } from './processing-slots.js'

/** The limits photo work actually reads, not the whole configuration. */
export interface PhotoLimits {
  plans: Config['plans']
  /** Decompression-bomb guard for probe and decode */
  maxInputPixels: number
  /** Async acceptance answers 105 with Retry-After past this many waiting jobs */
  queueMaxDepth: number
}

/** What the photo use cases depend on, each named: repositories, blobs, the queue, the clock. */
export interface PhotoDeps {
  database: DatabaseHandle
  photos: PhotoRepository
  accounts: AccountRepository
  blobGarbage: BlobGarbageRepository
  tickets: TicketRepository
  usage: UsageRepository
  /** Dropped for a user whenever their stored bytes change */
  usageReport: UsageReportCache
  blobs: BlobStore
  /** Local folder for the worker's copy of an incoming blob (beside the request staging files) */
  stagingDir: string
  queue: PhotoJobQueue
  /** Sync uploads/replaces processed at once; the rest wait in line */
  processingSlots: ProcessingSlots
  clock: () => number
  limits: PhotoLimits
  /** Test-only fault injection: called at each step of photo processing; throwing aborts there */
  faults?: (step: string) => void | Promise<void>
}
