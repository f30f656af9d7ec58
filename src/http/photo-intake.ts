import type { FastifyRequest } from 'fastify'
import { StagingError, stageUpload, type StagedUpload } from '../domain/photos/staged-upload.js'
import { uploadErrors } from '../errors/catalogue.js'
import { FlickrError } from '../errors/flickr-error.js'
import type { Services } from '../services.js'
import type { ParamList } from './flickr-auth.js'
import { isMultipart, readMultipart, type MultipartLimits } from './multipart.js'
import { queryParams } from './request-params.js'

export interface PhotoRequest {
  /** Query and every non-file field, in arrival order: all of them are signed */
  params: ParamList
  /** The `photo` file part spooled to disk, or null when the request had none */
  staged: StagedUpload | null
}

/** Upload/replace bodies: one file, and text fields of at most 1 MiB each. */
function photoLimits(services: Services): MultipartLimits {
  // One byte over our own cap, so the staging limiter (which answers error 6) trips first.
  return { fileSize: services.config.maxUploadBytes + 1, files: 1, fields: 100, fieldSize: 1024 * 1024, parts: 102 }
}

/**
 * Reads an upload/replace body to its end: fields are collected and the `photo` file part is staged
 * (hashed, counted, size-capped) whatever order they come in, since the signature covers fields that
 * may follow the file. Only a part with a filename is a file (Perl signs a text field named photo).
 */
export async function receivePhotoRequest(request: FastifyRequest, services: Services): Promise<PhotoRequest> {
  const params: ParamList = [...queryParams(request)]
  if (!isMultipart(request)) {
    if (Array.isArray(request.body)) params.push(...(request.body as ParamList))
    return { params, staged: null }
  }
  let staged: StagedUpload | null = null
  try {
    const fields = await readMultipart(request, photoLimits(services), async (part) => {
      if (part.fieldname !== 'photo' || staged) return void part.stream.resume()
      staged = await stageUpload(part.stream, { dir: services.stagingDir, maxBytes: services.config.maxUploadBytes, isTruncated: part.truncated })
    })
    params.push(...fields)
    return { params, staged }
  } catch (failure) {
    await (staged as StagedUpload | null)?.discard()
    if (failure instanceof StagingError && failure.reason === 'too-large') throw new FlickrError(uploadErrors.limitReached)
    throw new FlickrError(uploadErrors.generalFailure, { cause: failure })
  }
}
