/**
 * The defaults upload applies to omitted fields (routes/photo-upload.ts uploadMeta), as the prefs.*
 * methods report them. Retake has no per-account preferences yet, so every account shares these.
 */
export const ACCOUNT_DEFAULTS = {
  /** prefs.getPrivacy: 1 public */
  privacy: 1,
  /** 1 safe */
  safetyLevel: 1,
  /** prefs.getHidden: 0 = shown in public searches (upload's hidden=1) */
  hidden: 0,
  /** 1 photo */
  contentType: 1,
  /** 1 public; importgeoexif 0 (EXIF locations are not imported) */
  geoPerms: 1,
  importGeoExif: 0,
} as const
