"""Runs Debian's python3-flickrapi 2.1.2, unmodified, for album calls against a Retake server.

Same settings and conventions as flickrapi_photos.py (OPS, "$N.field" references, one JSON line per
operation, "token" to act as another user). Operations, besides that driver's own (upload, getInfo, …):

  {"op": "walk_photosets", "per_page": N, "user_id"?} -> {"sets": [{"id", "title", "photos"}]}
  {"op": "walk_set", "photoset_id": ID, "per_page": N, "extras"?} -> {"photos": [{"id", "isprimary", "url_m"?}]}
  {"op": "create", "title": T, "primary_photo_id": ID, "description"?} -> {"id", "url"}
  {"op": "addPhoto", "photoset_id": ID, "photo_id": ID} -> {}
  {"op": "getPhotos", "photoset_id": ID} -> {"ids": [...], "total", "pages", "primary"}

flickrapi's walkers call Element.getchildren(), which Python 3.9 removed from xml.etree (the package
works with lxml, which Debian does not pull in). With ETREE_GETCHILDREN=1 the pure-Python ElementTree
is used and given that one method back, as Python 3.8 had it; flickrapi itself is not touched.
"""
import os
import sys

if os.environ.get('ETREE_GETCHILDREN') == '1':
    sys.modules['_elementtree'] = None  # the C Element type cannot take a method; the Python one can
    import xml.etree.ElementTree as ElementTree
    ElementTree.Element.getchildren = lambda self: list(self)


import retake_flickrapi  # noqa: E402,F401  (points flickrapi at the server under test)
from flickrapi_photos import main as photos_main, run as photo_run  # noqa: E402


def run(op, api):
    kind = op['op']
    if kind == 'walk_photosets':
        params = {'user_id': op['user_id']} if 'user_id' in op else {}
        sets = api.walk_photosets(per_page=op['per_page'], **params)
        return {'sets': [{'id': s.get('id'), 'title': s.findtext('title'), 'photos': s.get('photos')} for s in sets]}
    if kind == 'walk_set':
        params = {'extras': op['extras']} if 'extras' in op else {}
        photos = api.walk_set(op['photoset_id'], per_page=op['per_page'], **params)
        return {'photos': [{name: p.get(name) for name in ('id', 'isprimary', 'url_m') if p.get(name) is not None} for p in photos]}
    if kind == 'create':
        fields = {name: op[name] for name in ('title', 'description', 'primary_photo_id') if name in op}
        photoset = api.photosets.create(**fields).find('photoset')
        return {'id': photoset.get('id'), 'url': photoset.get('url')}
    if kind == 'addPhoto':
        api.photosets.addPhoto(photoset_id=op['photoset_id'], photo_id=op['photo_id'])
        return {}
    if kind == 'getPhotos':
        photoset = api.photosets.getPhotos(photoset_id=op['photoset_id']).find('photoset')
        ids = [photo.get('id') for photo in photoset.findall('photo')]
        return {'ids': ids, 'total': photoset.get('total'), 'pages': photoset.get('pages'), 'primary': photoset.get('primary')}
    return photo_run(op, api)


if __name__ == '__main__':
    photos_main(run)
