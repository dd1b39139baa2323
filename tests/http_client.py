"""A browser-like HTTP client for a portal served by a real server (gunicorn): cookies kept,
redirects not followed, forms encoded as Flask's test client does, so that `tests/forms.py` works
with it unchanged."""

from __future__ import annotations

import http.client
import io
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

from werkzeug.test import EnvironBuilder


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status_code, self.headers, self.data = status, headers, body

    def get_data(self, as_text: bool = False):
        return self.data.decode("utf-8") if as_text else self.data


class HttpClient:
    def __init__(self, base_url: str, timeout: float = 30):
        self.base_url, self.timeout = base_url.rstrip("/"), timeout
        self.cookies = CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def _open(self, request: urllib.request.Request) -> Response:
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                return Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def get(self, path: str, query_string: dict | None = None) -> Response:
        url = self.base_url + path + (("&" if "?" in path else "?") + urlencode(query_string) if query_string else "")
        return self._open(urllib.request.Request(url))

    def post(self, path: str, data: dict | None = None, content_type: str | None = None) -> Response:
        """Raises ConnectionError (or http.client.RemoteDisconnected) when the server dies mid-request."""
        builder = EnvironBuilder(method="POST", data=_fresh_files(data or {}), content_type=content_type)
        environ = builder.get_environ()
        body = environ["wsgi.input"].read()
        headers = {"Content-Type": environ["CONTENT_TYPE"], "Content-Length": str(len(body))}
        return self._open(urllib.request.Request(self.base_url + path, data=body, headers=headers, method="POST"))


def _fresh_files(data: dict) -> dict:
    """Copies of the (file, name) pairs: the encoder closes what it reads, and a retry sends them again."""

    def fresh(value):
        if isinstance(value, list):
            return [fresh(v) for v in value]
        if isinstance(value, tuple) and hasattr(value[0], "getvalue"):
            return (io.BytesIO(value[0].getvalue()), *value[1:])
        return value

    return {name: fresh(value) for name, value in data.items()}


DISCONNECTED = (ConnectionError, TimeoutError, http.client.RemoteDisconnected, urllib.error.URLError)
