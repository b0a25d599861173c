"""Serve a built site on 127.0.0.1 the way a static host does.

Usage::

    python scripts/serve_site.py                     # site/ at http://127.0.0.1:8000/
    python scripts/serve_site.py --prefix /convdemo/ # as a GitHub Pages project site

The site tests, ``benchmarks/bench_site.py`` and
``benchmarks/bench_playground.py`` all use :func:`serve`, so they see the
site the same way. What it does, as GitHub Pages and Read the Docs do:

- ``prefix``: the site lives under that path only; anything outside it is a
  404. A folder without its trailing slash is redirected to ``folder/``.
- A missing file is answered with the site's own ``404.html`` and status 404.
- ``compress=True``: text files (HTML, CSS, JS, JSON, SVG, XML) are sent
  gzip-compressed to clients that accept it, so transferred sizes are the
  ones readers pay for.
- Every file is sent with GitHub Pages' ``Cache-Control: max-age=600``, and
  a browser that asks again with ``If-Modified-Since`` gets a 304, so a
  repeat visit costs what it costs there.
- ``log``: each response is appended to the list as a :class:`Served`
  (path, status, body bytes sent), which is how the crawl and the benchmark
  weigh a page by what the server actually sent.

It serves files only and prints nothing.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

__all__ = ["CACHE_CONTROL", "COMPRESSED", "Served", "serve"]

# File types static hosts compress.
COMPRESSED = frozenset({".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"})
# What GitHub Pages sends with every file: a reader's browser may reuse it for
# ten minutes without asking.
CACHE_CONTROL = "max-age=600"


class Served(NamedTuple):
    """One response: the URL path asked for, the status, the body bytes sent."""

    path: str
    status: int
    sent: int


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve ``directory`` under ``prefix``, with a 404 page and optional gzip."""

    prefix = "/"
    compress = False
    log: list[Served] | None = None
    _status = 0
    _length = 0

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""

    def send_response(self, code: int, message: str | None = None) -> None:
        """Start a response; remember its status for the log."""
        self._status, self._length = code, 0
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        """Send a header; remember the body's length for the log."""
        if keyword.lower() == "content-length":
            self._length = int(value)
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        """Add the caching header to files, log the response, end the headers."""
        if self._status in {200, 304}:
            super().send_header("Cache-Control", CACHE_CONTROL)
        if self.log is not None:
            words = self.requestline.split(" ")
            path = urlsplit(words[1]).path if len(words) > 1 else ""
            sent = 0 if self.command == "HEAD" else self._length
            self.log.append(Served(path, self._status, sent))
        super().end_headers()

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_head(self) -> Any:
        """Map the URL into the site; answer redirects, 404s and gzip here."""
        original = urlsplit(self.path).path
        if not original.startswith(self.prefix):
            self.send_error(404, "outside the site's prefix")
            return None
        self.path = "/" + original[len(self.prefix) :]
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not original.endswith("/"):
                self.send_response(301)
                self.send_header("Location", original + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            target = target / "index.html"
        if not target.is_file():
            page = Path(self.directory) / "404.html"
            if not page.is_file():
                self.send_error(404)
                return None
            self._send(404, page.read_bytes(), "text/html; charset=utf-8")
            return None
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if self.compress and accepts and target.suffix in COMPRESSED:
            body = gzip.compress(target.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(target)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()


@contextmanager
def serve(
    site: Path,
    *,
    prefix: str = "/",
    compress: bool = False,
    port: int = 0,
    log: list[Served] | None = None,
) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 under `prefix`; yield the site's address.

    Parameters
    ----------
    site : Path
        The built site (``mkdocs build``'s output folder).
    prefix : str, optional
        The path the site lives under, starting and ending with ``/``.
    compress : bool, optional
        Gzip text files for clients that accept it.
    port : int, optional
        The port; 0 picks a free one.
    log : list of Served, optional
        Each response is appended to it, in the order they are sent.

    Yields
    ------
    str
        The address of the site's home page, e.g.
        ``http://127.0.0.1:41234/convdemo/``.

    Examples
    --------
    >>> import tempfile, urllib.request
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "index.html").write_text("<p>hi</p>")
    ...     with serve(Path(tmp), prefix="/demo/") as url:
    ...         urllib.request.urlopen(url).read()
    b'<p>hi</p>'
    """
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"`prefix` must start and end with '/', got {prefix!r}")
    attributes = {"prefix": prefix, "compress": compress, "log": log}
    handler_class = type("SiteHandler", (_SiteHandler,), attributes)
    handler = functools.partial(handler_class, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: list[str] | None = None) -> int:
    """Serve a built site until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("site"))
    parser.add_argument("--prefix", default="/", help="the sub-path, e.g. /convdemo/")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: no built site in {args.site}; run `make site` first")
        return 2
    try:
        with serve(args.site, prefix=args.prefix, compress=True, port=args.port) as url:
            print(f"serving {args.site} at {url} (Ctrl+C stops)")
            threading.Event().wait()
    except ValueError as error:
        print(f"error: {error}")
        return 2
    except OSError as error:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {error.strerror}")
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
