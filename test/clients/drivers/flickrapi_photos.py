"""Runs Debian's python3-flickrapi 2.1.2, unmodified, for photo calls against a Retake server.

Run with /usr/bin/python3 (the interpreter python3-flickrapi is installed for). Settings come from the
environment: BASE_URL, CA_FILE, API_KEY, API_SECRET, OAUTH_TOKEN, OAUTH_TOKEN_SECRET, and OPS, a JSON
list of operations run in order in this one process (each Python start costs about half a second):

  {"op": "upload", "file": PATH, "title"?, "tags"?, "is_public"?, "async"?: true}
        -> {"photoid": ID} or, with async, {"ticketid": ID}
  {"op": "replace", "file": PATH, "photo_id": ID, "async"?: true}
        -> {"photoid": ID, "secret": S, "originalsecret": S} or {"ticketid": ID}
  {"op": "checkTickets", "tickets": "A,B", "wait"?: true}
        -> {"tickets": [{attributes of each <ticket>}]}; with wait, polls until none is complete="0"
  {"op": "getInfo", "photo_id": ID} -> {"title", "description", "secret", "originalsecret", "ispublic", "tags": [raw…]}
  {"op": "getSizes", "photo_id": ID} -> {"sizes": [{"label", "width", "height", "source"}]}

Any op may carry "token": [TOKEN, SECRET] to act as another user. A string value "$N.field" is replaced
by field `field` of operation N's result (0-based), e.g. "$0.photoid". Output: one JSON line per
operation, either {"ok": true, ...result} or {"ok": false, "error": str, "code": FlickrError.code,
"type": exception class name} (a FlickrError does not stop the later operations).
"""
import json
import os
import time

from retake_flickrapi import emit  # first: points flickrapi at the server under test
import flickrapi  # noqa: E402
from flickrapi.auth import FlickrAccessToken  # noqa: E402


_clients = {}


def client(token, secret):
    """One FlickrAPI per token; the token lives in a memory-only cache (store_token=False)."""
    key = (token, secret)
    if key not in _clients:
        _clients[key] = flickrapi.FlickrAPI(
            os.environ['API_KEY'], os.environ['API_SECRET'],
            token=FlickrAccessToken(token, secret, 'write'), store_token=False)
    return _clients[key]


def resolve(value, results):
    if isinstance(value, str) and value.startswith('$') and '.' in value:
        index, field = value[1:].split('.', 1)
        return str(results[int(index)][field])
    return value


def photo_answer(rsp):
    ticket = rsp.find('ticketid')
    if ticket is not None:
        return {'ticketid': ticket.text}
    photo = rsp.find('photoid')
    answer = {'photoid': photo.text}
    # A sync replace answers <photoid secret=".." originalsecret="..">; an upload a bare <photoid>.
    for name in ('secret', 'originalsecret'):
        if photo.get(name) is not None:
            answer[name] = photo.get(name)
    return answer


def tickets_of(rsp):
    return [dict(ticket.attrib) for ticket in rsp.find('uploader').findall('ticket')]


def run(op, api):
    kind = op['op']
    extra = {'async': '1'} if op.get('async') else {}  # `async` is a reserved word: only via **kwargs
    if kind == 'upload':
        fields = {name: str(op[name]) for name in ('title', 'tags', 'description', 'is_public') if name in op}
        return photo_answer(api.upload(op['file'], **fields, **extra))
    if kind == 'replace':
        return photo_answer(api.replace(op['file'], op['photo_id'], **extra))
    if kind == 'checkTickets':
        deadline = time.time() + float(op.get('timeout', 60))
        while True:
            # flickrapi sends this as POST with every parameter in the query string (clients.md).
            tickets = tickets_of(api.photos.upload.checkTickets(tickets=op['tickets']))
            if not op.get('wait') or all(t.get('complete') != '0' for t in tickets) or time.time() > deadline:
                return {'tickets': tickets}
            time.sleep(0.1)
    if kind == 'getInfo':
        photo = api.photos.getInfo(photo_id=op['photo_id']).find('photo')
        return {
            'title': photo.findtext('title'),
            'description': photo.findtext('description'),
            'secret': photo.get('secret'),
            'originalsecret': photo.get('originalsecret'),
            'ispublic': photo.find('visibility').get('ispublic'),
            'tags': [tag.get('raw') for tag in photo.find('tags').findall('tag')],
        }
    if kind == 'getSizes':
        sizes = api.photos.getSizes(photo_id=op['photo_id']).find('sizes').findall('size')
        return {'sizes': [{name: size.get(name) for name in ('label', 'width', 'height', 'source')} for size in sizes]}
    raise ValueError('unknown op ' + kind)


def main(run_op=None):
    """Runs every op in OPS through `run_op` (default: this driver's), one JSON line each.

    The album and search drivers pass their own, which fall back to this one's `run`.
    """
    run_op = run_op or run
    results = []
    default_token = (os.environ['OAUTH_TOKEN'], os.environ['OAUTH_TOKEN_SECRET'])
    for raw in json.loads(os.environ['OPS']):
        op = {name: resolve(value, results) for name, value in raw.items()}
        token = op.get('token') or default_token
        try:
            result = dict(ok=True, **run_op(op, client(token[0], token[1])))
        except flickrapi.exceptions.FlickrError as error:
            result = {'ok': False, 'error': str(error), 'code': error.code, 'type': type(error).__name__}
        except AttributeError as error:  # e.g. Element.getchildren missing: a client failure, reported
            result = {'ok': False, 'error': str(error), 'code': None, 'type': type(error).__name__}
        results.append(result)
        emit(result)


if __name__ == '__main__':
    main()
