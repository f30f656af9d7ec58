import type { FastifyRequest } from 'fastify'
import { uploadErrors } from '../errors/catalogue.js'
import { FlickrError } from '../errors/flickr-error.js'
import { StagingError, stageUpload, type StagedUpload } from '../domain/photos/staged-upload.js'
import type { Services } from '../services.js'
import type { ParamList } from './flickr-auth.js'
import { assertMultipartRead, queryParams } from './request-params.js'

export interface PhotoRequest {
  /** Query and every non-file field, in arrival order: all of them are signed */
  params: ParamList
  /** The `photo` file part spooled to disk, or null when the request had none */
  staged: StagedUpload | null
}

/**
 * Reads an upload/replace body to its end: fields are collected and the `photo` file part is staged
 * (hashed, counted, size-capped) whatever order they come in, since the signature covers fields that
 * may follow the file. Only a part with a filename is a file (Perl signs a text field named photo).
 */
export async function receivePhotoRequest(request: FastifyRequest, services: Services): Promise<PhotoRequest> {
  const params: ParamList = [...queryParams(request)]
  if (!request.isMultipart()) {
    if (Array.isArray(request.body)) params.push(...(request.body as ParamList))
    return { params, staged: null }
  }
  let staged: StagedUpload | null = null
  let failure: unknown
  let parts = 0
  try {
    for await (const part of request.parts()) {
      parts++
      if (part.type !== 'file') {
        params.push([part.fieldname, String(part.value ?? '')])
        continue
      }
      if (part.fieldname !== 'photo' || staged || failure) {
        part.file.resume() // drain: an unread file stream would stall the whole request
        continue
      }
      try {
        staged = await stageUpload(part.file, {
          dir: services.stagingDir,
          maxBytes: services.config.maxUploadBytes,
          isTruncated: () => part.file.truncated,
        })
      } catch (error) {
        // Keep reading (and discarding) the rest of the body so the client gets to read our answer.
        failure = error
        part.file.resume()
      }
    }
    assertMultipartRead(request, parts)
  } catch (error) {
    failure ??= error
  }
  if (failure) {
    await staged?.discard()
    if (failure instanceof StagingError && failure.reason === 'too-large') throw new FlickrError(uploadErrors.limitReached)
    throw new FlickrError(uploadErrors.generalFailure, { cause: failure })
  }
  return { params, staged }
}
