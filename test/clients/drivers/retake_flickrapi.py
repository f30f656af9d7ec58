"""Points Debian's python3-flickrapi, unmodified, at the Retake server the test started.

Shared by the drivers beside this file (Python puts a script's own folder on sys.path). Settings come
from the environment: BASE_URL and CA_FILE.
"""
import json
import os
import sys

# requests uses this file as its whole trust store; set it before any request (clients.md, TLS).
os.environ['REQUESTS_CA_BUNDLE'] = os.environ['CA_FILE']

import flickrapi  # noqa: E402

BASE = os.environ['BASE_URL'].rstrip('/')

# Every endpoint is a class attribute read through self (clients.md "Pointing it elsewhere").
flickrapi.FlickrAPI.REST_URL = BASE + '/services/rest/'
flickrapi.FlickrAPI.UPLOAD_URL = BASE + '/services/upload/'
flickrapi.FlickrAPI.REPLACE_URL = BASE + '/services/replace/'
flickrapi.auth.OAuthFlickrInterface.REQUEST_TOKEN_URL = BASE + '/services/oauth/request_token'
flickrapi.auth.OAuthFlickrInterface.AUTHORIZE_URL = BASE + '/services/oauth/authorize'
flickrapi.auth.OAuthFlickrInterface.ACCESS_TOKEN_URL = BASE + '/services/oauth/access_token'


def emit(obj):
    """One JSON object per line on stdout, flushed at once (the test reads it line by line)."""
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()
