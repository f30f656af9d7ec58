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
import { peopleFindByUsername } from './people/find-by-username.js'
import { peopleGetInfo } from './people/get-info.js'
import { peopleGetLimits } from './people/get-limits.js'
import { peopleGetPublicPhotos } from './people/get-public-photos.js'
import { photosGetAllContexts } from './photos/get-all-contexts.js'
import { photosGetContext } from './photos/get-context.js'
import { photosGetNotInSet } from './photos/get-not-in-set.js'
import { photosetsAddPhoto } from './photosets/add-photo.js'
import { photosetsCreate } from './photosets/create.js'
import { photosetsDelete } from './photosets/delete.js'
import { photosetsEditMeta } from './photosets/edit-meta.js'
import { photosetsEditPhotos } from './photosets/edit-photos.js'
import { photosetsGetContext } from './photosets/get-context.js'
import { photosetsGetInfo } from './photosets/get-info.js'
import { photosetsGetList } from './photosets/get-list.js'
import { photosetsGetPhotos } from './photosets/get-photos.js'
import { photosetsOrderSets } from './photosets/order-sets.js'
import { photosetsRemovePhoto } from './photosets/remove-photo.js'
import { photosetsRemovePhotos } from './photosets/remove-photos.js'
import { photosetsReorderPhotos } from './photosets/reorder-photos.js'
import { photosetsSetPrimaryPhoto } from './photosets/set-primary-photo.js'
import { urlsGetUserPhotos } from './urls/get-user-photos.js'
import { urlsGetUserProfile } from './urls/get-user-profile.js'
import { urlsLookupUser } from './urls/lookup-user.js'
import { MethodRegistry, type FlickrMethod } from './registry.js'
import { photosSearch } from './photos/search.js'
import { photosGetRecent } from './photos/get-recent.js'
import { photosRecentlyUpdated } from './photos/recently-updated.js'
import { photosAddTags } from './photos/add-tags.js'
import { photosRemoveTag } from './photos/remove-tag.js'
import { tagsGetListPhoto } from './tags/get-list-photo.js'
import { tagsGetListUser, tagsGetListUserPopular, tagsGetListUserRaw } from './tags/tag-lists.js'
import { photosSetDates } from './photos/set-dates.js'
import { photosGetPerms, photosSetPerms } from './photos/set-perms.js'
import { photosSetContentType, photosSetSafetyLevel } from './photos/set-levels.js'
import { licensesGetInfo, licensesSetLicense } from './photos/licenses/licenses.js'
import { geoGetLocation, geoRemoveLocation, geoSetLocation } from './photos/geo/location.js'
import { prefsGetContentType, prefsGetGeoPerms, prefsGetHidden, prefsGetPrivacy, prefsGetSafetyLevel } from './prefs/prefs.js'
import { photosGetExif } from './photos/get-exif.js'
import { favoritesAdd, favoritesGetList, favoritesGetPublicList, favoritesRemove, photosGetFavorites } from './favorites/favorites.js'
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
    // Albums, people, contexts and URLs (issue 8)
    photosetsGetList,
    photosetsCreate,
    photosetsAddPhoto,
    photosetsRemovePhoto,
    photosetsRemovePhotos,
    photosetsGetInfo,
    photosetsGetPhotos,
    photosetsEditMeta,
    photosetsEditPhotos,
    photosetsDelete,
    photosetsOrderSets,
    photosetsReorderPhotos,
    photosetsSetPrimaryPhoto,
    photosetsGetContext,
    photosGetAllContexts,
    photosGetContext,
    photosGetNotInSet,
    peopleGetInfo,
    peopleGetLimits,
    peopleGetPublicPhotos,
    peopleFindByUsername,
    urlsLookupUser,
    urlsGetUserPhotos,
    urlsGetUserProfile,
    // Search, tags, list extras and photo fields (issue 9)
    photosSearch,
    photosGetRecent,
    photosRecentlyUpdated,
    photosAddTags,
    photosRemoveTag,
    tagsGetListPhoto,
    tagsGetListUser,
    tagsGetListUserRaw,
    tagsGetListUserPopular,
    photosSetDates,
    photosSetPerms,
    photosGetPerms,
    photosSetSafetyLevel,
    photosSetContentType,
    licensesGetInfo,
    licensesSetLicense,
    geoSetLocation,
    geoGetLocation,
    geoRemoveLocation,
    prefsGetPrivacy,
    prefsGetSafetyLevel,
    prefsGetHidden,
    prefsGetContentType,
    prefsGetGeoPerms,
    photosGetExif,
    favoritesAdd,
    favoritesRemove,
    favoritesGetList,
    favoritesGetPublicList,
    photosGetFavorites,
  ]
  holder.registry = new MethodRegistry(methods)
  return holder.registry
}
