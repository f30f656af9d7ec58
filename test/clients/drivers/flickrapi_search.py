"""Runs Debian's python3-flickrapi 2.1.2, unmodified, for search and tag calls against a Retake server.

Same settings and conventions as flickrapi_photos.py (OPS, "$N.field" references, one JSON line per
operation, "token" to act as another user). Operations, besides that driver's own (upload, replace, …):

  {"op": "walk", "per_page": N, "tags"?, "user_id"?, "machine_tags"?, "extras"?} -> {"photos": [{"id", extras…}]}
  {"op": "walk_user", "per_page": N, "extras"?} -> {"photos": [...]}
  {"op": "walk_user_updates", "min_date": D, "per_page": N} -> {"photos": [...]}
  {"op": "search", "machine_tags"?, "tags"?, "user_id"?, "extras"?} -> {"ids": [...], "total", "pages"}
  {"op": "addTags", "photo_id": ID, "tags": T} -> {}
  {"op": "tagIds", "photo_id": ID} -> {"tags": [{"id", "raw", "clean"}]}  (getInfo's <tag> elements)
  {"op": "removeTag", "tag_id": ID} -> {}

ETREE_GETCHILDREN=1 gives the pure-Python ElementTree its getchildren() back for flickrapi's walkers,
as flickrapi_albums.py explains; flickrapi itself is not touched.
"""
import os
import sys

if os.environ.get('ETREE_GETCHILDREN') == '1':
    sys.modules['_elementtree'] = None  # the C Element type cannot take a method; the Python one can
    import xml.etree.ElementTree as ElementTree
    ElementTree.Element.getchildren = lambda self: list(self)


import retake_flickrapi  # noqa: E402,F401  (points flickrapi at the server under test)
from flickrapi_photos import main as photos_main, run as photo_run  # noqa: E402

PHOTO_FIELDS = ('id', 'owner', 'title', 'ispublic', 'url_o', 'datetaken', 'tags', 'lastupdate')


def photo_dict(photo):
    return {name: photo.get(name) for name in PHOTO_FIELDS if photo.get(name) is not None}


def pick(op, names):
    return {name: op[name] for name in names if name in op}


def run(op, api):
    kind = op['op']
    if kind == 'walk':
        photos = api.walk(per_page=op['per_page'], **pick(op, ('tags', 'user_id', 'machine_tags', 'extras')))
        return {'photos': [photo_dict(p) for p in photos]}
    if kind == 'walk_user':
        return {'photos': [photo_dict(p) for p in api.walk_user(per_page=op['per_page'], **pick(op, ('extras',)))]}
    if kind == 'walk_user_updates':
        photos = api.walk_user_updates(op['min_date'], per_page=op['per_page'], **pick(op, ('extras',)))
        return {'photos': [photo_dict(p) for p in photos]}
    if kind == 'search':
        photos = api.photos.search(**pick(op, ('machine_tags', 'tags', 'user_id', 'extras'))).find('photos')
        return {'ids': [p.get('id') for p in photos.findall('photo')], 'total': photos.get('total'), 'pages': photos.get('pages')}
    if kind == 'addTags':
        api.photos.addTags(photo_id=op['photo_id'], tags=op['tags'])
        return {}
    if kind == 'tagIds':
        tags = api.photos.getInfo(photo_id=op['photo_id']).find('photo').find('tags').findall('tag')
        return {'tags': [{'id': t.get('id'), 'raw': t.get('raw'), 'clean': t.text} for t in tags]}
    if kind == 'removeTag':
        api.photos.removeTag(tag_id=op['tag_id'])
        return {}
    return photo_run(op, api)


if __name__ == '__main__':
    photos_main(run)
