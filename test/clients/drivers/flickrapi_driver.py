"""Runs Debian's python3-flickrapi, unmodified, through the OAuth 1.0a dance against a Retake server.

Run with /usr/bin/python3 (the interpreter python3-flickrapi is installed for). Settings come from the
environment: BASE_URL, API_KEY, API_SECRET, CA_FILE, PERMS (default write).
Protocol, one JSON object per line on stdout:
  1. {"authorize_url": "..."}         after get_request_token(oauth_callback='oob')
  2. reads one line from stdin: the verifier the user was shown
  3. {"access": {...}, "login": {...}, "token_valid": true}, or {"error": "...", "code": ...} on a FlickrError
"""
import os
import sys

from retake_flickrapi import emit  # first: points flickrapi at the server under test
import flickrapi  # noqa: E402


PERMS = os.environ.get('PERMS', 'write')


def main():
    # store_token=False: a memory-only token cache, nothing written under ~/.flickr.
    flickr = flickrapi.FlickrAPI(os.environ['API_KEY'], os.environ['API_SECRET'], store_token=False)
    try:
        flickr.get_request_token(oauth_callback='oob')
        # auth_url also records the requested level, which get_access_token needs.
        emit({'authorize_url': flickr.auth_url(perms=PERMS)})
        verifier = sys.stdin.readline().strip()
        flickr.get_access_token(verifier)
        token = flickr.token_cache.token
        login = flickr.test.login()
        emit({
            'access': {
                'token': token.token,
                'token_secret': token.token_secret,
                'access_level': token.access_level,
                'fullname': token.fullname,
                'username': token.username,
                'user_nsid': token.user_nsid,
            },
            'login': {
                'stat': login.get('stat'),
                'id': login.find('user').get('id'),
                'username': login.findtext('user/username'),
            },
            # Calls flickr.auth.oauth.checkToken and compares its <perms> with the level asked for.
            'token_valid': flickr.token_valid(perms=PERMS),
        })
    except flickrapi.exceptions.FlickrError as error:
        emit({'error': str(error), 'code': error.code})
        sys.exit(1)


if __name__ == '__main__':
    main()
