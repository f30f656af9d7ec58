import { PROCESS_PHOTO, type ProcessPhotoPayload } from '../domain/photos/photo-job.js'
import type { PhotoService } from '../domain/photos/photo-service.js'
import { FlickrError } from '../errors/flickr-error.js'
import { PermanentJobError, type JobQueue } from './job-queue.js'

// A Flickr error travels through the queue as text; this prefix lets the failure hook recover its code.
const FLICKR_PREFIX = /^flickr (\d+): (.*)$/s

/** Wires the photo service's async work to a queue: a Flickr error fails the job at once, others retry. */
export function registerPhotoJobs(queue: JobQueue, photoService: PhotoService): void {
  queue.work<ProcessPhotoPayload>(PROCESS_PHOTO, async (payload) => {
    try {
      await photoService.runJob(payload)
    } catch (error) {
      if (error instanceof FlickrError) throw new PermanentJobError(`flickr ${error.code}: ${error.message}`, { cause: error })
      throw error
    }
  })
  queue.onFailed<ProcessPhotoPayload>(PROCESS_PHOTO, (payload, failure) => {
    const flickr = FLICKR_PREFIX.exec(failure.error)
    return photoService.jobFailed(payload, flickr ? { code: Number(flickr[1]), message: flickr[2]! } : null)
  })
}
