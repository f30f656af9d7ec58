import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { PhotosetHead } from '../../db/album-repository.js'
import { optionalUserArg } from '../list-args.js'

/** getInfo/getPhotos' optional `user_id`: the set's owner, else 2 (Flickr: "User not found"). */
export const setOwnerArg = () => optionalUserArg('The user who owns the photo set (optional).')

export function checkSetOwner(set: PhotosetHead, userId: string | undefined): void {
  if (userId !== undefined && userId !== set.ownerNsid) throw new FlickrError(methodErrors.photosetUserNotFound)
}
