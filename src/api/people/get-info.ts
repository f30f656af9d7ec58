import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { planOf, uploadStatus } from '../../domain/accounts/upload-status.js'
import { listingFilter } from '../../domain/photos/visibility.js'
import { el, textEl, type Element } from '../payload.js'
import { defineMethod, required } from '../registry.js'
import { photosUrl, profileUrl } from '../urls/user-urls.js'
import { photoLimitAttrs } from './photo-limit.js'

export const peopleGetInfo = defineMethod({
  name: 'flickr.people.getInfo',
  description:
    'Get information about a user. Photo figures count the photos the caller may see; the user calling about themselves also gets upload_count, upload_limit and upload_limit_status (see people.getUploadStatus) and views. No buddy icons yet: iconserver "0", iconfarm 0.',
  perms: 'none',
  args: { user_id: required('The NSID of the user to fetch information about.', methodErrors.userNotFound) },
  async handle(ctx, args) {
    const { services, baseUrl } = ctx
    const viewer = ctx.actor?.user ?? null
    const person = await services.accounts.byNsid(args.user_id === 'me' && viewer ? viewer.nsid : args.user_id)
    if (!person) throw new FlickrError(methodErrors.userNotFound)
    const self = viewer?.nsid === person.nsid
    const stats = await services.photoLists.photostreamStats(person.nsid, listingFilter(person.nsid, viewer?.nsid).publicOnly)
    const limits = self ? photoLimitAttrs(uploadStatus(person, planOf(person, services.config.plans), await services.usageReport.get(person.nsid, services.clock())).photos) : {}
    const attrs = { id: person.nsid, nsid: person.nsid, ispro: person.isPro, is_deleted: 0, iconserver: '0', iconfarm: 0, path_alias: '', has_stats: 0, ...limits }
    const photos: Element[] = [
      textEl('firstdatetaken', stats.firstDateTaken ?? ''),
      textEl('firstdate', stats.firstDatePosted === null ? '' : String(stats.firstDatePosted)),
      textEl('count', String(stats.count)),
    ]
    if (self) photos.push(textEl('views', '0'))
    const children: Element[] = [textEl('username', person.username)]
    // Flickr leaves realname out when it is not set.
    if (person.fullname !== '') children.push(textEl('realname', person.fullname))
    children.push(
      textEl('location', ''),
      textEl('description', ''),
      textEl('photosurl', photosUrl(baseUrl, person.nsid)),
      textEl('profileurl', profileUrl(baseUrl, person.nsid)),
      textEl('mobileurl', photosUrl(baseUrl, person.nsid)),
      el('photos', undefined, ...photos),
    )
    return [el('person', attrs, ...children)]
  },
})
