import { FlickrError } from './flickr-error.js'

// Codes shared by every Flickr method (the "standard error list" of each method page).
export const globalErrors = {
  sslRequired: () => new FlickrError(95, 'SSL is required'),
  invalidSignature: () => new FlickrError(96, 'Invalid signature'),
  missingSignature: () => new FlickrError(97, 'Missing signature'),
  invalidAuthToken: () => new FlickrError(98, 'Invalid auth token'),
  notLoggedIn: () => new FlickrError(99, 'User not logged in / Insufficient permissions'),
  insufficientPermissions: () => new FlickrError(99, 'Insufficient permissions. Method requires write privileges; none granted.'),
  invalidApiKey: () => new FlickrError(100, 'Invalid API Key (Key has invalid format)'),
  serviceUnavailable: () => new FlickrError(105, 'Service currently unavailable'),
  writeFailed: () => new FlickrError(106, 'Write operation failed'),
  formatNotFound: (format: string) => new FlickrError(111, `Format "${format}" not found`),
  methodNotFound: (method: string) => new FlickrError(112, `Method "${method}" not found`),
  badUrl: () => new FlickrError(116, 'Bad URL found'),
} as const
