// Row types as the application sees them (camelCase; CamelCasePlugin maps them to snake_case columns).
export type Perms = 'read' | 'write' | 'delete'

export interface UsersTable {
  nsid: string
  username: string
  fullname: string
  passwordHash: string | null
  isPro: number
  createdAt: number
}

export interface AppsTable {
  apiKey: string
  secret: string
  name: string
  ownerNsid: string
  callbackUrl: string | null
  createdAt: number
}

export interface RequestTokensTable {
  token: string
  secret: string
  apiKey: string
  callback: string
  perms: Perms | null
  verifier: string | null
  userNsid: string | null
  createdAt: number
  expiresAt: number
}

export interface AccessTokensTable {
  token: string
  /** null for legacy auth_token tokens, which sign with the app secret only */
  secret: string | null
  kind: 'oauth' | 'legacy'
  apiKey: string
  userNsid: string
  perms: Perms
  createdAt: number
  revoked: number
}

export interface FrobsTable {
  frob: string
  apiKey: string
  perms: Perms | null
  userNsid: string | null
  createdAt: number
  expiresAt: number
}

export interface BlocklistTable {
  host: string
  createdAt: number
}

/** Drop-in mode: calls of methods Retake does not serve, per method and app name. */
export interface UnknownMethodCallsTable {
  method: string
  appName: string
  calls: number
  firstSeen: number
  lastSeen: number
}

export interface SettingsTable {
  key: string
  value: string
}

export interface PhotosTable {
  id: string
  ownerNsid: string
  revision: number
  server: string
  secret: string
  originalSecret: string
  secretH: string
  secretK: string
  originalFormat: string
  width: number
  height: number
  originalBytes: number
  originalSha256: string
  title: string
  description: string
  isPublic: number
  isFriend: number
  isFamily: number
  safetyLevel: number
  contentType: number
  hidden: number
  datePosted: number
  dateTaken: string
  dateTakenGranularity: number
  lastUpdate: number
  views: number
  // Issue 9 (search and photo fields): licence id, geotag, comment/addmeta permissions
  license: number
  latitude: number | null
  longitude: number | null
  /** 0 = not geotagged; else Flickr's 1 (world) .. 16 (street) */
  accuracy: number
  geoContext: number
  permComment: number
  permAddmeta: number
}

export interface PhotoFilesTable {
  photoId: string
  revision: number
  suffix: string
  width: number
  height: number
  bytes: number
  blobKey: string
}

export interface PhotoTagsTable {
  photoId: string
  position: number
  raw: string
  clean: string
  /** Machine tag parts of the clean form (namespace:predicate=value), null for plain tags */
  mtNamespace: string | null
  mtPredicate: string | null
  mtValue: string | null
}

export interface UploadUsageTable {
  userNsid: string
  month: string
  bytes: number
}

export interface TicketsTable {
  id: string
  userNsid: string
  kind: 'upload' | 'replace'
  photoId: string | null
  /** Tickets accepted before shared staging: the local spooled upload (now null: the payload names an incoming blob) */
  stagedPath: string | null
  /** The job's payload (JSON), so a ticket whose enqueue was lost to a crash can be enqueued again */
  jobPayload: string | null
  status: number
  errorCode: number | null
  errorMessage: string | null
  createdAt: number
  completedAt: number | null
}

export interface JobsTable {
  id: string
  kind: string
  payload: string
  state: 'queued' | 'running' | 'done' | 'failed'
  attempts: number
  maxAttempts: number
  runAt: number
  lockedUntil: number | null
  lastError: string | null
  createdAt: number
  updatedAt: number
}

export interface BlobGarbageTable {
  blobKey: string
  notBefore: number
}

export interface PhotosetsTable {
  id: string
  ownerNsid: string
  primaryPhotoId: string
  title: string
  description: string
  /** The owner's order of sets: lowest first */
  position: number
  dateCreate: number
  dateUpdate: number
}

export interface PhotosetPhotosTable {
  photosetId: string
  photoId: string
  /** Dense 0..n-1 within the set */
  position: number
}

/** One remembered OAuth nonce (DbNonceStore) */
export interface OauthNoncesTable {
  nonceKey: string
  /** Milliseconds since the epoch */
  expiresAt: number
}

export interface FavoritesTable {
  userNsid: string
  photoId: string
  dateFaved: number
}

export interface Database {
  users: UsersTable
  apps: AppsTable
  requestTokens: RequestTokensTable
  accessTokens: AccessTokensTable
  frobs: FrobsTable
  blocklist: BlocklistTable
  settings: SettingsTable
  photos: PhotosTable
  photoFiles: PhotoFilesTable
  photoTags: PhotoTagsTable
  uploadUsage: UploadUsageTable
  tickets: TicketsTable
  jobs: JobsTable
  blobGarbage: BlobGarbageTable
  photosets: PhotosetsTable
  photosetPhotos: PhotosetPhotosTable
  oauthNonces: OauthNoncesTable
  unknownMethodCalls: UnknownMethodCallsTable
  favorites: FavoritesTable
}
