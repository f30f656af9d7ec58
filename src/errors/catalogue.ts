// Every error code Retake can answer, with its message, in one place. Code raises these specs
// (`new FlickrError(errors.photo.notFound)`); nothing else may invent a code or a message, and
// docs/api-coverage.md's error tables are generated from here (test/docs-sync.test.ts checks both).
// Messages may hold `{name}` placeholders, filled when the error is raised.

export interface ErrorSpec {
  readonly code: number
  readonly message: string
  /** Why Retake answers it, where Flickr leaves room to choose (shown in the docs) */
  readonly note?: string
}

const catalogued = new Set<ErrorSpec>()

function spec(code: number, message: string, note?: string): ErrorSpec {
  const entry = Object.freeze(note === undefined ? { code, message } : { code, message, note })
  catalogued.add(entry)
  return entry
}

export function isCatalogued(entry: ErrorSpec): boolean {
  return catalogued.has(entry)
}

/** Flickr's standard list: any REST method (and upload/replace, for the auth codes) can answer these. */
export const standardErrors = {
  sslRequired: spec(95, 'SSL is required', 'Plain-HTTP listener.'),
  invalidSignature: spec(96, 'Invalid signature', 'OAuth or api_sig; also an oauth_timestamp outside the window, a reused nonce, a duplicated or malformed OAuth parameter, or a Host header the signature cannot be checked against.'),
  missingSignature: spec(97, 'Missing signature', 'The call carries a token (oauth_token or auth_token), or calls a method that must be signed, but has no signature.'),
  invalidAuthToken: spec(98, 'Invalid auth token'),
  insufficientPermissions: spec(99, 'Insufficient permissions. Method requires {required} privileges; {granted} granted.', '"none granted" when the call carries no user at all.'),
  invalidApiKey: spec(100, 'Invalid API Key (Key has invalid format)'),
  serviceUnavailable: spec(105, 'Service currently unavailable', 'Maintenance mode (writes refused), a full queue or no processing slot freed in time (with Retry-After), or a fault of the server itself.'),
  writeFailed: spec(106, 'Write operation failed', 'Listed by Flickr; Retake does not send it at present.'),
  formatNotFound: spec(111, 'Format "{format}" not found'),
  methodNotFound: spec(112, 'Method "{method}" not found', 'Method names are matched case-insensitively. An unknown path or HTTP method under /services/ answers 112 too, naming "{HTTP method} {path}".'),
  requestTooLarge: spec(113, 'Request too large', "Retake's own code: a REST body or text field over the limit (Flickr documents none)."),
  requestUnreadable: spec(113, 'Request could not be read', "Retake's own code: a REST body that cannot be parsed (cut short, malformed multipart or encoding)."),
  badUrl: spec(116, 'Bad URL found', 'A field holds a URL on a blocklisted host or a subdomain of one.'),
} as const

/** Upload (`/services/upload`) and replace (`/services/replace`) codes (reference §1.1, §1.2). */
export const uploadErrors = {
  notPro: spec(1, 'Not a pro account', 'Replace is for pro accounts (Flickr documents this code).'),
  noPhoto: spec(2, 'No photo specified', 'No part with a filename named `photo`.'),
  generalFailure: spec(3, 'General upload failure', 'The body could not be read (cut short, malformed, a text field over the limit), the image is corrupt or has too many pixels, or processing failed unexpectedly; nothing is changed.'),
  zeroBytes: spec(4, 'Filesize was zero'),
  notRecognised: spec(5, 'Filetype was not recognised', 'Decided from the content, never the file name or Content-Type.'),
  limitReached: spec(6, 'Upload limit reached', 'Plan limits (file size, monthly bytes, photo count, non-public count) and the server-wide size cap.'),
  photoNotFound: spec(7, 'Photo not found', "Retake's own choice: Flickr documents no code for replacing a missing photo or someone else's (its code 1 is taken by \"Not a pro account\")."),
  videoNotReplaceable: spec(8, "Videos can't be replaced", "Flickr's wording, as seen in the wild."),
} as const

/** Which upload codes each endpoint answers, in Flickr's order of checks. */
export const endpointErrors = {
  upload: [uploadErrors.noPhoto, uploadErrors.generalFailure, uploadErrors.zeroBytes, uploadErrors.notRecognised, uploadErrors.limitReached],
  replace: Object.values(uploadErrors),
  /** Standard codes upload and replace can answer besides their own */
  photoEndpointsStandard: [
    standardErrors.sslRequired,
    standardErrors.invalidSignature,
    standardErrors.missingSignature,
    standardErrors.invalidAuthToken,
    standardErrors.insufficientPermissions,
    standardErrors.invalidApiKey,
    standardErrors.serviceUnavailable,
    standardErrors.writeFailed,
    standardErrors.badUrl,
  ],
} as const

/** Method-specific codes (small numbers from 1; the same number means different things per method). */
export const methodErrors = {
  photoNotFound: spec(1, 'Photo not found', 'Not a valid id, or not one the caller may see (or change): the same answer either way.'),
  unknownUser: spec(2, 'Unknown user'),
  tooManyTags: spec(2, 'Maximum number of tags reached'),
  tooManyTickets: spec(1, 'No more than {max} tickets at a time'),
  reflectionMethodNotFound: spec(1, 'Method not found'),
  invalidFrob: spec(108, 'Invalid frob', 'The frob is unknown, expired, of another app, not approved yet, or already exchanged.'),
  // Albums (photosets), people and URLs (reference part 2 §1, §3, §8); clients branch on addPhoto's 1, 2, 3.
  userNotFound: spec(1, 'User not found', 'No user with that NSID, username or URL.'),
  photosetNotFound: spec(1, 'Photoset not found', 'Not a valid id, or a set whose primary photo the caller may not see; for writes, not a set of the caller.'),
  setNotFound: spec(1, 'Set not found', 'orderSets: an id that is not one of the caller’s sets.'),
  noTitle: spec(1, 'No title specified', 'A title of only white space counts as none.'),
  photosetUserNotFound: spec(2, 'User not found', 'user_id names nobody, or someone other than the set’s owner.'),
  noTitleToEdit: spec(2, 'No title specified', 'A title of only white space counts as none.'),
  photoNotFoundForSet: spec(2, 'Photo not found', 'Not a valid id, or not a photo of the set’s owner (the caller).'),
  photoNotInSetContext: spec(2, 'Photo not in set'),
  noUserSpecified: spec(2, 'No user specified', 'No user_id and no calling user.'),
  photoAlreadyInSet: spec(3, 'Photo already in set'),
  photoNotInSet: spec(3, 'Photo not in set'),
  primaryPhotoNotFound: spec(3, 'Primary photo not found', 'Not a valid id, or not a photo of the caller.'),
  primaryPhotoNotInList: spec(4, 'Primary photo not in list'),
  emptyPhotoList: spec(5, 'Empty photos list'),
  // --- Issue 9: search, tags, photo fields, favourites (reference part 2 §4, §6, §7) ---
  tooManyTagsInAll: spec(1, 'Too many tags in ALL query', 'tag_mode=all with more than 20 tags.'),
  parameterlessSearch: spec(3, 'Parameterless searches have been disabled. Please use flickr.photos.getRecent instead.', 'Limiting arguments: user_id, tags, machine_tags, text, or a date bound.'),
  noValidMachineTags: spec(11, 'No valid machine tags'),
  tooManyMachineTags: spec(12, 'Exceeded maximum allowable machine tags', 'More than 16 in all mode, 8 in any mode.'),
  tagNotFound: spec(1, 'Tag not found', 'Not a tag id as getInfo gives it, or a tag on a photo that is not the caller’s.'),
  requiredArgumentMissing: spec(1, 'Required argument missing.'),
  notAValidDate: spec(2, 'Not a valid date'),
  notEnoughArguments: spec(2, 'Not enough arguments'),
  invalidGranularity: spec(3, 'Invalid granularity', 'date_taken_granularity 0..10.'),
  invalidDatePosted: spec(4, 'Invalid date_posted', 'Not Unix seconds, or in the future.'),
  invalidDateTakenFormat: spec(5, 'Invalid Date Taken Format'),
  invalidDateTaken: spec(6, 'Invalid Date Taken', 'Well formed but impossible (2021-02-30).'),
  requiredArgumentsMissing: spec(2, 'Required arguments missing'),
  invalidSafetyArguments: spec(2, 'Invalid or missing arguments', 'Neither a valid safety_level (1..3) nor hidden (0/1).'),
  licenseNotFound: spec(2, 'License not found', 'Not an id from licenses.getInfo, or the institution-only 7 and 8.'),
  geoArgumentsMissing: spec(2, 'Required arguments missing.'),
  invalidLatitude: spec(3, 'Not a valid latitude.'),
  invalidLongitude: spec(4, 'Not a valid longitude.'),
  invalidAccuracy: spec(5, 'Not a valid accuracy.'),
  noLocation: spec(2, 'Photo has no location information.'),
  photoOwnedByYou: spec(2, 'Photo is owned by you'),
  alreadyFavorite: spec(3, 'Photo is already in favorites'),
  notInFavorites: spec(1, 'Photo not in favorites'),
} as const

/** Every catalogued spec, for the docs and the docs-sync test. */
export function allErrorSpecs(): ErrorSpec[] {
  return [...catalogued]
}
