import { newPhotoId, newTicketId } from '../../auth/ids.js'
import type { Account } from '../../db/account-repository.js'
import { TICKET_WAITING } from '../../db/ticket-repository.js'
import { standardErrors, uploadErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { sweepJobLeftovers } from './blob-sweeper.js'
import { commitReplace, commitUpload, type PhotoMeta } from './commit-photo.js'
import { fetchIncoming, incomingKey, removeLocal } from './incoming-blobs.js'
import { checkPlanLimits, findOwnPhoto, inspectStagedFile } from './ingest-checks.js'
import type { PhotoDeps } from './photo-deps.js'
import { addTags, deletePhoto, ownPhoto, removeTag, setMeta, setTags, viewablePhoto } from './photo-edits.js'
import { updateOwnPhoto, type PhotoFields } from './photo-fields.js'
import { PROCESS_PHOTO, type ProcessPhotoPayload } from './photo-job.js'
import type { StagedUpload } from './staged-upload.js'
import { readEmbeddedMeta, type EmbeddedMeta } from '../../images/embedded-meta.js'

export type UploadOutcome = { kind: 'photo'; photoId: string } | { kind: 'ticket'; ticketId: string }
export type ReplaceOutcome = { kind: 'photo'; photoId: string; secret: string; originalSecret: string } | { kind: 'ticket'; ticketId: string }

/**
 * Every photo use case, called alike by the API routes, the queue worker and (later) the web pages.
 * Upload and replace take ownership of the staged file: it is removed when they return (an accepted
 * async job has its own copy in the blob store, under `incoming/`, which any node's worker can read).
 */
export class PhotoService {
  constructor(readonly deps: PhotoDeps) {}

  /**
   * Flickr's order of checks after authentication: the file's presence and size, the plan's limits,
   * the file's type by content. Async requests stop there with a ticket; sync ones render and commit.
   */
  async upload(user: Account, staged: StagedUpload | null, meta: PhotoMeta, options: { async: boolean }): Promise<UploadOutcome> {
    return this.#owning(staged, async (file) => {
      await checkPlanLimits(this.deps, user, file.bytes, true, meta.isPublic)
      const probe = await inspectStagedFile(this.deps, file.path, file.bytes, 'upload')
      const photoId = newPhotoId()
      // Before the job payload is written, so async uploads import the same (replace never imports).
      const withEmbedded = withEmbeddedMeta(meta, await readEmbeddedMeta(file.path))
      if (options.async) return { kind: 'ticket', ticketId: await this.#accept(user, { kind: 'upload', photoId, staged: file, meta: withEmbedded }) }
      await this.deps.processingSlots.run(() => commitUpload(this.deps, user, { ...file, probe }, withEmbedded, photoId))
      return { kind: 'photo', photoId }
    })
  }

  /** As upload, after the account (pro) and the photo's ownership (7); keeps id, title, tags and sets. */
  async replace(user: Account, photoId: string | undefined, staged: StagedUpload | null, options: { async: boolean }): Promise<ReplaceOutcome> {
    if (!user.isPro) {
      await staged?.discard()
      throw new FlickrError(uploadErrors.notPro)
    }
    return this.#owning(staged, async (file) => {
      const photo = await findOwnPhoto(this.deps, user, photoId)
      await checkPlanLimits(this.deps, user, file.bytes, false, photo.isPublic === 1)
      const probe = await inspectStagedFile(this.deps, file.path, file.bytes, 'replace')
      if (options.async) return { kind: 'ticket', ticketId: await this.#accept(user, { kind: 'replace', photoId: photo.id, staged: file }) }
      const result = await this.deps.processingSlots.run(() => commitReplace(this.deps, user, photo.id, { ...file, probe }))
      return { kind: 'photo', photoId: photo.id, ...result }
    })
  }

  /** Checks common to both: a file was sent and is not empty; then `work`, discarding the file after. */
  async #owning<T extends UploadOutcome | ReplaceOutcome>(staged: StagedUpload | null, work: (file: StagedFile) => Promise<T>): Promise<T> {
    try {
      if (!staged) throw new FlickrError(uploadErrors.noPhoto)
      if (staged.bytes === 0) throw new FlickrError(uploadErrors.zeroBytes)
      return await work({ path: staged.path, bytes: staged.bytes, sha256: staged.sha256 })
    } finally {
      // An accepted async job holds a copy in the blob store (incoming/), so the local file always goes.
      await staged?.discard()
    }
  }

  /**
   * Records the ticket (with the job's payload, so start-up can re-enqueue it if this process dies
   * before the enqueue lands), stores the original under `incoming/` so any node's worker can read it,
   * then enqueues the job under the ticket's id. 105 with Retry-After when the queue is full.
   */
  async #accept(user: Account, job: Omit<ProcessPhotoPayload, 'ticketId' | 'userNsid' | 'staged'> & { staged: StagedFile }): Promise<string> {
    const { queue, tickets, clock, limits } = this.deps
    const depth = await queue.depth(PROCESS_PHOTO)
    if (depth >= limits.queueMaxDepth) {
      throw new FlickrError(standardErrors.serviceUnavailable, { retryAfterSeconds: Math.max(5, Math.ceil(depth / 10)) })
    }
    const ticketId = newTicketId()
    const { path, ...sums } = job.staged
    const payload: ProcessPhotoPayload = { ...job, staged: { key: incomingKey(ticketId), ...sums }, ticketId, userNsid: user.nsid }
    // The ticket comes first: the incoming sweep deletes blobs without a waiting ticket.
    await tickets.insert({
      id: ticketId,
      userNsid: user.nsid,
      kind: job.kind,
      photoId: job.kind === 'replace' ? job.photoId : null,
      stagedPath: null,
      jobPayload: JSON.stringify(payload),
      status: TICKET_WAITING,
      errorCode: null,
      errorMessage: null,
      createdAt: clock(),
      completedAt: null,
    })
    try {
      await this.deps.blobs.putFile(payload.staged.key!, path)
    } catch (error) {
      await tickets.fail(ticketId, uploadErrors.generalFailure.code, uploadErrors.generalFailure.message, clock())
      throw error
    }
    await queue.enqueue(PROCESS_PHOTO, payload, { id: ticketId })
    return ticketId
  }

  /**
   * The worker's run of an accepted job: the very same checks and commit code as the sync path.
   * Idempotent: the ticket is completed in the commit's transaction, so a run retried after a crash
   * finds it complete and only cleans up. A FlickrError means the job fails for good.
   */
  async runJob(payload: ProcessPhotoPayload): Promise<void> {
    const ticket = await this.deps.tickets.byId(payload.ticketId)
    // Blobs an interrupted earlier attempt stored: released (never claimable again) and deleted.
    await sweepJobLeftovers(this.deps, payload.photoId, payload.ticketId)
    if (!ticket || ticket.status !== TICKET_WAITING) return this.#dropStaged(payload)
    const user = await this.deps.accounts.byNsid(payload.userNsid)
    if (!user) throw new FlickrError(uploadErrors.generalFailure)
    // This node's copy of the shared original; a fresh one per attempt, removed whatever happens.
    const localPath = payload.staged.key ? await fetchIncoming(this.deps, payload.staged.key) : payload.staged.path!
    try {
      // A missing staged file probes as error 3: nothing to retry with, so the ticket fails.
      const probe = await inspectStagedFile(this.deps, localPath, payload.staged.bytes, payload.kind)
      const staged = { path: localPath, bytes: payload.staged.bytes, sha256: payload.staged.sha256, probe }
      const options = { ticketId: payload.ticketId }
      // Workers share the decode slots with sync requests but wait as long as it takes.
      await this.deps.processingSlots.run(async () => {
        if (payload.kind === 'replace') {
          await findOwnPhoto(this.deps, user, payload.photoId)
          await commitReplace(this.deps, user, payload.photoId, staged, options)
        } else {
          await commitUpload(this.deps, user, staged, payload.meta!, payload.photoId, options)
        }
      }, { unbounded: true })
    } finally {
      if (payload.staged.key) await removeLocal(localPath)
    }
    await this.#dropStaged(payload)
  }

  /** The job's original, shared (incoming blob) or local (older tickets), once its job has ended. */
  async #dropStaged(payload: ProcessPhotoPayload): Promise<void> {
    if (payload.staged.key) await this.deps.blobs.delete(payload.staged.key)
    if (payload.staged.path) await removeLocal(payload.staged.path)
  }

  /** A job that failed for good marks its ticket failed (complete="2") with the Flickr error it met, else 3. */
  async jobFailed(payload: ProcessPhotoPayload, error: { code: number; message: string } | null): Promise<void> {
    const failed = error ?? uploadErrors.generalFailure
    await this.deps.tickets.fail(payload.ticketId, failed.code, failed.message, this.deps.clock())
    await sweepJobLeftovers(this.deps, payload.photoId, payload.ticketId)
    await this.#dropStaged(payload)
  }

  /** Start-up: every waiting ticket gets its job (enqueue with an existing id is a no-op). */
  async reenqueueWaitingTickets(): Promise<number> {
    let count = 0
    for (const ticket of await this.deps.tickets.waiting()) {
      if (!ticket.jobPayload) continue
      await this.deps.queue.enqueue(PROCESS_PHOTO, JSON.parse(ticket.jobPayload) as ProcessPhotoPayload, { id: ticket.id })
      count++
    }
    return count
  }

  viewable(viewerNsid: string | null, photoId: string, secret?: string) {
    return viewablePhoto(this.deps, viewerNsid, photoId, secret)
  }

  own(user: Account, photoId: string) {
    return ownPhoto(this.deps, user, photoId)
  }

  setMeta(user: Account, photoId: string, meta: { title?: string; description?: string }) {
    return setMeta(this.deps, user, photoId, meta)
  }

  setTags(user: Account, photoId: string, tags: string) {
    return setTags(this.deps, user, photoId, tags)
  }

  addTags(user: Account, photoId: string, tags: string) {
    return addTags(this.deps, user, photoId, tags)
  }

  removeTag(user: Account, tagId: string) {
    return removeTag(this.deps, user, tagId)
  }

  /** One owner edit of plain fields (photo-fields.ts validates them); returns the photo as it was. */
  updateFields(user: Account, photoId: string, fields: PhotoFields) {
    return updateOwnPhoto(this.deps, user, photoId, fields)
  }

  delete(user: Account, photoId: string) {
    return deletePhoto(this.deps, user, photoId)
  }
}

/** Embedded keywords join the sent tags (sent first); embedded title and description fill empty fields only. */
function withEmbeddedMeta(meta: PhotoMeta, embedded: EmbeddedMeta): PhotoMeta {
  const keywords = embedded.keywords.map((keyword) => `"${keyword.replace(/"/g, '')}"`).join(' ')
  return {
    ...meta,
    tags: [meta.tags, keywords].filter(Boolean).join(' '),
    title: meta.title.trim() ? meta.title : (embedded.title ?? meta.title),
    description: meta.description.trim() ? meta.description : (embedded.description ?? meta.description),
  }
}

interface StagedFile {
  path: string
  bytes: number
  sha256: string
}
