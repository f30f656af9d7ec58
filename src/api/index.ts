import { authCheckToken } from './auth/check-token.js'
import { authGetFrob } from './auth/get-frob.js'
import { authGetToken } from './auth/get-token.js'
import { authOauthCheckToken } from './auth/oauth-check-token.js'
import { authOauthGetAccessToken } from './auth/oauth-get-access-token.js'
import { peopleGetPhotos } from './people/get-photos.js'
import { peopleGetUploadStatus } from './people/get-upload-status.js'
import { photosDelete } from './photos/delete.js'
import { photosGetInfo } from './photos/get-info.js'
import { photosGetSizes } from './photos/get-sizes.js'
import { photosSetMeta } from './photos/set-meta.js'
import { photosSetTags } from './photos/set-tags.js'
import { photosUploadCheckTickets } from './photos/upload/check-tickets.js'
import { reflectionGetMethodInfo } from './reflection/get-method-info.js'
import { reflectionGetMethods } from './reflection/get-methods.js'
import { MethodRegistry, type FlickrMethod } from './registry.js'
import { testEcho } from './test/echo.js'
import { testLogin } from './test/login.js'
import { testNull } from './test/null.js'

/** Every Flickr method Retake serves: the one list dispatch, reflection and docs/api-coverage.md derive from. */
export function createMethodRegistry(): MethodRegistry {
  // Reflection methods describe the registry they are part of, so they get it lazily.
  const holder: { registry?: MethodRegistry } = {}
  const self = () => holder.registry!
  const methods: FlickrMethod[] = [
    testEcho,
    testLogin,
    testNull,
    reflectionGetMethods(self),
    reflectionGetMethodInfo(self),
    peopleGetUploadStatus,
    peopleGetPhotos,
    photosGetInfo,
    photosGetSizes,
    photosDelete,
    photosSetMeta,
    photosSetTags,
    photosUploadCheckTickets,
    authGetFrob,
    authGetToken,
    authCheckToken,
    authOauthCheckToken,
    authOauthGetAccessToken,
  ]
  holder.registry = new MethodRegistry(methods)
  return holder.registry
}
