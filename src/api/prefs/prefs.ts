import { ACCOUNT_DEFAULTS } from '../../domain/accounts/account-defaults.js'
import { el, type Attrs } from '../payload.js'
import { defineMethod, type FlickrMethod } from '../registry.js'

// prefs.* (reference part 2 §7.8): `<person nsid … />` with the account's upload defaults.

function pref(name: string, description: string, attrs: Attrs): FlickrMethod {
  return defineMethod({
    name: `flickr.prefs.${name}`,
    description,
    perms: 'read',
    needsSigning: true,
    args: {},
    async handle(ctx) {
      return [el('person', { nsid: ctx.actor!.user.nsid, ...attrs })]
    },
  })
}

const d = ACCOUNT_DEFAULTS
export const prefsGetPrivacy = pref('getPrivacy', 'Returns the default privacy level preference for the user: 1 public, 2 friends, 3 family, 4 friends and family, 5 private.', { privacy: d.privacy })
export const prefsGetSafetyLevel = pref('getSafetyLevel', 'Returns the default safety level preference for the user: 1 safe, 2 moderate, 3 restricted.', { safety_level: d.safetyLevel })
export const prefsGetHidden = pref('getHidden', 'Returns the default hidden preference for the user.', { hidden: d.hidden })
export const prefsGetContentType = pref('getContentType', 'Returns the default content type preference for the user: 1 photo, 2 screenshot, 3 other.', { content_type: d.contentType })
export const prefsGetGeoPerms = pref('getGeoPerms', 'Returns the default privacy level for geographic information attached to the user’s photos and whether EXIF locations are imported.', { geoperms: d.geoPerms, importgeoexif: d.importGeoExif })
