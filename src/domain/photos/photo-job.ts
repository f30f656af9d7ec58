import type { PhotoMeta } from './commit-photo.js'

/** The queue's job kind for accepted async uploads and replaces. */
export const PROCESS_PHOTO = 'process-photo'

/** An accepted async upload or replace: everything the worker needs, nothing it must recompute. */
export interface ProcessPhotoPayload {
  ticketId: string
  kind: 'upload' | 'replace'
  userNsid: string
  /** The new photo's id (chosen at acceptance, so a retried upload cannot create two) or the replaced one */
  photoId: string
  /**
   * The accepted original: `key` names its blob under `incoming/` (any node can fetch it); `path`, a
   * local file, is what tickets accepted before shared staging recorded.
   */
  staged: { key?: string; path?: string; bytes: number; sha256: string }
  meta?: PhotoMeta
}

/** The part of a job queue photo work uses; jobs/ implements it (the domain never imports jobs/). */
export interface PhotoJobQueue {
  depth(kind: string): Promise<number>
  enqueue(kind: string, payload: ProcessPhotoPayload, options: { id: string }): Promise<unknown>
}
