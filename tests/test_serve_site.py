"""The local static server that the site tests and benchmarks share."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest
from project_files import load_tool


@pytest.fixture(scope="module")
def serve_site() -> ModuleType:
    return load_tool("serve_site")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<p>home</p>" * 50, encoding="utf-8")
    (tmp_path / "404.html").write_text("<p>not here</p>", encoding="utf-8")
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<p>page</p>", encoding="utf-8")
    (tmp_path / "figure.png").write_bytes(b"\x89PNG fake bytes")
    return tmp_path


def _get(url: str, *, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_serves_pages_under_the_prefix(serve_site: ModuleType, site: Path) -> None:
    with serve_site.serve(site, prefix="/demo/") as url:
        assert url.endswith("/demo/")
        assert _get(url)[0] == 200
        assert _get(url + "page/")[2] == b"<p>page</p>"
        assert _get(url + "figure.png")[2] == b"\x89PNG fake bytes"
        outside = url.removesuffix("demo/") + "page/"
        assert _get(outside)[0] == 404


def test_folder_without_slash_redirects(serve_site: ModuleType, site: Path) -> None:
    with serve_site.serve(site, prefix="/demo/") as url:
        status, headers, _ = _get(url + "page")
    assert status == 301
    assert headers["Location"] == "/demo/page/"


def test_missing_file_gets_the_sites_404_page(
    serve_site: ModuleType, site: Path
) -> None:
    with serve_site.serve(site) as url:
        status, _, body = _get(url + "no/such/file.png")
    assert status == 404
    assert body == b"<p>not here</p>"


@pytest.mark.parametrize("compress", [True, False])
def test_gzip_only_when_asked_and_accepted(
    serve_site: ModuleType, site: Path, compress: bool
) -> None:
    with serve_site.serve(site, compress=compress) as url:
        status, headers, body = _get(url, gzip_ok=True)
        _, plain_headers, plain = _get(url)
        _, png_headers, _ = _get(url + "figure.png", gzip_ok=True)
    assert status == 200
    assert plain == b"<p>home</p>" * 50
    assert "Content-Encoding" not in plain_headers
    assert "Content-Encoding" not in png_headers
    if compress:
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == plain
        assert len(body) < len(plain)
    else:
        assert "Content-Encoding" not in headers
        assert body == plain


@pytest.mark.parametrize("prefix", ["demo/", "/demo", ""])
def test_rejects_a_malformed_prefix(
    serve_site: ModuleType, site: Path, prefix: str
) -> None:
    with (
        pytest.raises(ValueError, match="`prefix`.*" + repr(prefix)),
        serve_site.serve(site, prefix=prefix),
    ):
        pass


def test_cli_without_a_built_site_exits_2(
    serve_site: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve_site.main([str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "make site" in out


def test_cli_on_a_busy_port_exits_2(
    serve_site: ModuleType, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve_site.serve(site) as url:
        port = url.split(":")[2].split("/")[0]
        assert serve_site.main([str(site), "--port", port]) == 2
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert f"127.0.0.1:{port}" in out


def test_log_lists_each_response_with_its_body_bytes(
    serve_site: ModuleType, site: Path
) -> None:
    """Each response is logged: the path asked for, the status, the bytes sent."""
    log: list[tuple[str, int, int]] = []
    with serve_site.serve(site, prefix="/demo/", compress=True, log=log) as url:
        _, _, body = _get(url, gzip_ok=True)
        _get(url + "figure.png")
        _get(url + "page")
        _get(url + "gone.png")
    assert [(path, status) for path, status, _ in log] == [
        ("/demo/", 200),
        ("/demo/figure.png", 200),
        ("/demo/page", 301),
        ("/demo/gone.png", 404),
    ]
    assert log[0].sent == len(body) < len("<p>home</p>" * 50)
    assert log[1].sent == (site / "figure.png").stat().st_size
    assert log[3].sent == (site / "404.html").stat().st_size


def test_files_are_cached_as_on_github_pages(
    serve_site: ModuleType, site: Path
) -> None:
    """Files carry max-age=600, and a conditional request gets a 304."""
    status = 200
    with serve_site.serve(site) as url:
        _, headers, _ = _get(url + "figure.png")
        request = urllib.request.Request(
            url + "figure.png", headers={"If-Modified-Since": headers["Last-Modified"]}
        )
        try:
            urllib.request.urlopen(request)
        except urllib.error.HTTPError as error:
            status = error.code
        _, missing_headers, _ = _get(url + "gone.png")
    assert headers["Cache-Control"] == "max-age=600"
    assert status == 304
    assert "Cache-Control" not in missing_headers
