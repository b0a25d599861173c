"""One browser crawl of the built site per colour scheme, shared by the page checks.

The site tests used to load every page five times (axe light, axe dark, the
budgets, the browser checks, the sub-path). Here each page is loaded once per
colour scheme (in light as a reader's **first visit**: a fresh browser
context, so nothing comes from a cache), from the site served under its sub-path
(``/convdemo/``, as GitHub Pages serves a project site) with gzip, and
everything the tests look at is recorded on the way:

light
    A phone (Lighthouse's: 412 CSS pixels at 1.75 device pixels per CSS
    pixel) that does not ask for reduced motion. The page is scrolled to the
    bottom so that lazy images load, and the bytes the server sent until the
    network is quiet are the page's first-visit weight. Then the window
    widens to a desktop's 1280 × 800 for axe-core (every rule), the images,
    the maths, the links and the animations' pause buttons.
dark
    A 1280 × 800 desktop screen at 2 device pixels per CSS pixel whose system
    prefers dark and reduced motion, one browser context for every page (its
    cache warm: these are not first visits): the palette shown first, how
    sharp each figure is drawn, the stills shown instead of animations,
    endless CSS animations, axe-core's colour rules, and the palette toggle
    (to light and back).

The two schemes are crawled at the same time, each with its own browser and
server. On every load: console errors, uncaught exceptions, failed requests, HTTP
errors, requests to another host (Chromium is told that no other host
exists, so that a leak fails at once instead of hanging) or outside the
prefix, and Content-Security-Policy violations (``securitypolicyviolation``
events, recorded by an init script). Nothing is intercepted: Playwright's
routing would turn the HTTP cache off, and a worker's second fetch of a
script would then count twice.

``benchmarks/bench_site.py`` measures its page-weight table with
:func:`first_visit` too, so that the table and the budget test count the same
bytes. The crawl itself returns plain data; the tests decide.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

__all__ = [
    "DESKTOP",
    "NO_OTHER_HOSTS",
    "PHONE",
    "SCHEMES",
    "UNDECODED_IMAGES",
    "Control",
    "Crawl",
    "Figure",
    "Recorder",
    "Transfer",
    "Visit",
    "crawl_site",
    "first_visit",
    "label",
    "new_context",
    "open_page",
    "page_paths",
    "scroll_through",
    "site_file",
    "site_prefix",
]

# Lighthouse's phone: 412 CSS pixels wide at 1.75 device pixels per CSS pixel.
PHONE: dict[str, Any] = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
}
DESKTOP = {"width": 1280, "height": 800}
# Chromium's switch that makes every host but the test server's unknown: a
# request to another host fails at once (and is reported) instead of waiting
# for the network.
NO_OTHER_HOSTS = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
# Material's name for each scheme, keyed by the system preference.
SCHEMES = {"light": "default", "dark": "slate"}
# Used when site_url has no path of its own; otherwise the prefix is
# site_url's path, as on the real host (the 404 page's links depend on it).
DEFAULT_PREFIX = "/convdemo/"
# The rules whose outcome depends on the colours: the dark pass runs these.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# preload=False: axe would otherwise download every stylesheet again for
# its one CSSOM rule (css-orientation-lock), which Material never trips.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}
# How long one wait inside a page may take before it counts as a failure.
TIMEOUT_MS = 15_000
# The network counts as quiet once no request has been open for this long
# (Playwright's "networkidle" waits 500 ms, which would cost a minute a crawl).
QUIET_MS = 200
# The playground's root element; it sets data-status="ready" once its data is in.
PLAYGROUND = "#convdemo-playground"


class Transfer(NamedTuple):
    """One response of a first visit: the file's site path, status, bytes sent."""

    path: str
    status: int
    sent: int


class Figure(NamedTuple):
    """An image in the article as drawn: the file shown, its width, its choices.

    `candidates` are the ``srcset`` width descriptors, (site path, width in
    pixels), empty when the image has none.
    """

    shown: str
    css_width: float
    candidates: tuple[tuple[str, int], ...]


class Control(NamedTuple):
    """An article figure and one of its buttons, pressed twice.

    `figure_image` is the file the figure's first image shows, `buttons` the
    number of buttons in the figure (a figure without one is recorded once,
    with no states). `states` holds (label, aria-pressed, the files every
    article image shows) before the first press, after it and after the
    second.
    """

    figure_image: str
    buttons: int
    states: tuple[tuple[str, str | None, tuple[str, ...]], ...]


@dataclass
class Visit:
    """What one load of one page did and showed, in one colour scheme."""

    path: str
    scheme: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)
    outside_prefix: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    # The first visit, until the network was quiet after scrolling.
    transfers: list[Transfer] = field(default_factory=list)
    # Lazy images on screen-able places that were still not loaded then.
    lazy_unloaded: list[str] = field(default_factory=list)
    # Every image file the document shows, and the icon, at that moment.
    referenced_images: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    article_images: list[str] = field(default_factory=list)
    looping_animations: list[str] = field(default_factory=list)
    undecoded_images: list[str] = field(default_factory=list)
    maths: list[dict[str, Any]] = field(default_factory=list)
    scheme_shown: str | None = None
    axe: list[dict[str, Any]] = field(default_factory=list)
    axe_rules: list[str] = field(default_factory=list)
    palette_toggle: list[str] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    # Every link's target: a path for the test server's, the URL for others'.
    links: list[str] = field(default_factory=list)
    playground_status: str | None = None

    @property
    def sent(self) -> int:
        """Return the bytes the server sent for the first visit (gzip included)."""
        return sum(t.sent for t in self.transfers)

    def file_bytes(self, site: Path) -> int:
        """Return the size on disk of every file the server sent for the first visit."""
        return sum(site_file(site, t.path).stat().st_size for t in self.transfers)


@dataclass
class Crawl:
    """Every page's visits: ``visits[scheme][path]``, and the prefix served."""

    prefix: str
    visits: dict[str, dict[str, Visit]]

    def all(self) -> Iterator[Visit]:
        """Yield every visit, light then dark."""
        for scheme in SCHEMES:
            yield from self.visits[scheme].values()

    def problems(self, attribute: str) -> dict[str, Any]:
        """Map each visit ("scheme page") whose `attribute` is not empty to it."""
        return {
            f"{visit.scheme} {label(visit.path)}": getattr(visit, attribute)
            for visit in self.all()
            if getattr(visit, attribute)
        }


def label(path: str) -> str:
    """Name a page for a message: its path, or "home"."""
    return path or "home"


def site_prefix(site: Path) -> str:
    """Return the path of the site's canonical address (site_url), or the default."""
    match = re.search(
        r'<link rel="canonical" href="([^"]+)"',
        (site / "index.html").read_text(encoding="utf-8"),
    )
    path = urlsplit(match.group(1)).path if match else "/"
    return path if path not in {"", "/"} else DEFAULT_PREFIX


def site_file(site: Path, path: str) -> Path:
    """Return the built file served for a path inside the site."""
    target = site / path
    return target / "index.html" if not path or path.endswith("/") else target


def page_paths(site: Path) -> list[str]:
    """Return the URL path (relative to the site root) of every HTML page."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        if relative == "404.html":
            continue
        paths.append(relative.removesuffix("index.html"))
    return paths


# In-page scripts --------------------------------------------------------

# Records Content-Security-Policy violations before any script of the page.
_CSP_INIT = """
window.__convdemoCsp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__convdemoCsp.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || "document"}:${event.lineNumber})`);
}, true);
"""

# Scroll to the bottom two screens at a time, two frames at each stop (enough
# for the lazy-loading observer to see the images near the screen), and back.
# Chromium starts loading a lazy image 1250 px or more before it reaches the
# screen, so no image is skipped; `lazy_unloaded` checks that.
_SCROLL = """async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  for (let y = 0; y < document.body.scrollHeight; y += 2 * window.innerHeight) {
    window.scrollTo(0, y);
    await frame();
    await frame();
  }
  window.scrollTo(0, 0);
}"""

# Every image file the document shows, and its icon.
_REFERENCED = """() => [
  ...[...document.images].map((img) => img.currentSrc),
  ...[...document.querySelectorAll("link[rel~=icon]")].map((link) => link.href),
].filter((url) => url && !url.startsWith("data:"))"""

# Each drawn image of the article: the file shown, its CSS width, and its
# srcset's width candidates (as absolute URLs).
_FIGURES = """() => [...document.querySelectorAll("article img")]
  .filter((img) => img.currentSrc && img.getBoundingClientRect().width > 0)
  .map((img) => [img.currentSrc, img.getBoundingClientRect().width,
    (img.getAttribute("srcset") || "").split(",")
      .map((part) => part.trim().split(/\\s+/))
      .filter((words) => words.length === 2 && /^\\d+w$/.test(words[1]))
      .map((words) => [new URL(words[0], document.baseURI).href,
                       parseInt(words[1], 10)])])"""

# Lazy images that are laid out (not in a closed <details>, say) but did not
# load: the scroll went past them too fast.
_LAZY_UNLOADED = """() => [...document.querySelectorAll("img[loading=lazy]")]
  .filter((img) => img.getClientRects().length > 0
    && !(img.complete && img.naturalWidth > 0))
  .map((img) => img.currentSrc || img.getAttribute("src"))"""

_ARTICLE_IMAGES = """() => [...document.querySelectorAll("article img")]
  .map((img) => img.currentSrc)"""

_LOOPING = """() => document.getAnimations()
  .filter(a => a.playState === 'running'
    && a.effect.getComputedTiming().iterations === Infinity)
  .map(a => a.animationName || String(a.effect.target))"""

# Load every image now (lazy ones and those in closed <details> included) and
# report those that did not decode. decode() also fails when the browser
# picks another srcset candidate meanwhile (after a resize), and an image can
# be between two candidates, with no current source, for a moment: each round
# waits for the images not decoded yet, up to ten rounds 0.1 s apart, so only
# an image that never decodes is reported.
UNDECODED_IMAGES = """async () => {
  const images = [...document.images];
  for (const img of images) { img.loading = "eager"; }
  const pending = () => images.filter((img) => !(img.naturalWidth > 0));
  for (let round = 0; round < 10 && (round < 2 || pending().length); round++) {
    await Promise.all(pending().map((img) => img.decode().catch(() => null)));
    if (round >= 1 && pending().length) {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  return pending().map((img) => img.currentSrc || img.getAttribute("src"));
}"""

# Each <math> element: how Chromium displays it and its size on screen.
_MATHS = """() => [...document.querySelectorAll("math")].map((m) => {
  const box = m.getBoundingClientRect();
  return {display: getComputedStyle(m).display, width: box.width, height: box.height};
})"""

_LINKS = "() => [...document.querySelectorAll('a[href]')].map((a) => a.href)"

_SCHEME = "() => document.body.dataset.mdColorScheme || null"

_PLAYGROUND_STATUS = (
    f"() => document.querySelector({PLAYGROUND!r})?.dataset.status ?? null"
)

# The state of one figure button and of what the article shows.
_BUTTON_STATE = """(button) => [button.innerText.trim(),
  button.getAttribute("aria-pressed"),
  [...document.querySelectorAll("article img")].map((img) => img.currentSrc)]"""

# Wait until every image of the button's figure shows a decoded file.
_FIGURE_DECODED = """(button) => [...button.closest("figure").querySelectorAll("img")]
  .every((img) => img.complete && img.naturalWidth > 0)"""


# One page -----------------------------------------------------------------


class Recorder:
    """Listens to one page: errors, requests, other hosts, the server's log.

    `log` is the server's response log, or an empty list when nobody weighs
    the page.
    """

    def __init__(
        self,
        page: Any,
        base: str,
        log: list[Any],
        visit: Visit | None = None,
        *,
        refuse_other_hosts: bool = False,
    ) -> None:
        visit = visit or Visit(path="", scheme="")
        self.page = page
        self.base = base
        self.log = log
        self.visit = visit
        self.origin = base.removesuffix(urlsplit(base).path) + "/"
        self.open: set[Any] = set()
        self.last_event = time.monotonic()
        page.on("console", self._console)
        page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
        page.on("request", self._request)
        page.on("requestfailed", self._failed)
        page.on("requestfinished", self._closed)
        page.on("response", self._response)
        if refuse_other_hosts:
            # Refused here, so that a leak fails instead of hanging. (Routing
            # turns the HTTP cache off, so the crawl uses NO_OTHER_HOSTS.)
            pattern = re.compile("^(?!" + re.escape(self.origin) + ")")
            page.route(pattern, lambda route: route.abort())

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.visit.console_errors.append(message.text)

    def _closed(self, request: Any) -> None:
        self.open.discard(request)
        self.last_event = time.monotonic()

    def _request(self, request: Any) -> None:
        self.open.add(request)
        self.last_event = time.monotonic()
        url = request.url
        if url.startswith(("data:", "blob:")):
            return
        self.visit.requests.append(url)
        if not url.startswith(self.origin):
            self.visit.other_hosts.append(url)
        if not url.startswith(self.base):
            self.visit.outside_prefix.append(url)

    def _failed(self, request: Any) -> None:
        self._closed(request)
        if not request.url.startswith(self.origin):
            return  # reported as a request to another host
        # Chromium fetches the favicon itself and cancels that fetch when the
        # page closes first. A missing favicon still fails with HTTP 404.
        if request.failure == "net::ERR_ABORTED" and request.url.endswith(
            "/favicon.png"
        ):
            return
        self.visit.failed_requests.append(f"{request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.visit.failed_requests.append(f"HTTP {response.status}: {response.url}")

    def local(self, url: str) -> str:
        """Return a URL of the test server as its path and query; others unchanged."""
        if not url.startswith(self.origin):
            return url
        return "/" + url.removeprefix(self.origin).split("#", 1)[0]

    def site_path(self, url: str) -> str:
        """Return a URL of the server as a path inside the site."""
        return unquote(urlsplit(url).path).removeprefix(urlsplit(self.base).path)

    def settle(self) -> None:
        """Wait until no request has been open for QUIET_MS."""
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while self.open or time.monotonic() - self.last_event < QUIET_MS / 1000:
            if time.monotonic() > deadline:
                pending = sorted(request.url for request in self.open)
                raise TimeoutError(f"requests still open: {pending}")
            self.page.wait_for_timeout(25)

    def transfers(self) -> list[Transfer]:
        """Return what the server has sent since the page was opened."""
        return [Transfer(self.site_path(s.path), s.status, s.sent) for s in self.log]

    def problems(self) -> list[str]:
        """Wait for the network; return every error, failure and leak seen."""
        self.settle()
        v = self.visit
        return [
            *(f"console error: {e}" for e in v.console_errors),
            *(f"failed request: {f}" for f in v.failed_requests),
            *(f"request to another host: {u}" for u in v.other_hosts),
        ]

    def finish(self) -> None:
        """Record the CSP violations; wait for the last requests."""
        self.settle()
        self.visit.csp_violations = self.page.evaluate(
            "() => window.__convdemoCsp || []"
        )


def scroll_through(page: Any) -> None:
    """Scroll `page` to the bottom a screen at a time, so lazy images load; and back."""
    page.evaluate(_SCROLL)


def new_context(browser: Any, scheme: str, options: dict[str, Any]) -> Any:
    """Open a browser context in `scheme` with the crawl's timeout and CSP listener."""
    context = browser.new_context(color_scheme=scheme, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(_CSP_INIT)
    return context


def open_page(
    context: Any, base: str, path: str, log: list[Any], scheme: str
) -> Recorder:
    """Open ``base + path`` in `context`, scroll it through, let the network rest.

    `log` is the serving server's response log (``serve_site.serve(log=...)``);
    it is emptied first, and the page's transfers are what it holds once the
    network is quiet after scrolling to the bottom (and, on the playground,
    once it is ready).
    """
    page = context.new_page()
    recorder = Recorder(page, base, log, Visit(path, scheme))
    log.clear()
    page.goto(base + path, wait_until="load")
    scroll_through(page)
    _wait_for_playground(page)
    recorder.settle()
    recorder.visit.transfers = recorder.transfers()
    return recorder


def first_visit(
    browser: Any,
    base: str,
    path: str,
    log: list[Any],
    *,
    scheme: str = "light",
    context_options: dict[str, Any] | None = None,
) -> tuple[Any, Recorder]:
    """Open ``base + path`` as a first visit: in a fresh context (nothing cached).

    Returns the open context (the caller closes it) and the page's recorder,
    whose ``visit`` holds the transfers (see :func:`open_page`).
    """
    context = new_context(browser, scheme, context_options or PHONE)
    return context, open_page(context, base, path, log, scheme)


def _wait_for_playground(page: Any) -> None:
    """On the playground, wait until it has its data and its first output."""
    if page.locator(PLAYGROUND).count():
        page.wait_for_selector(f"{PLAYGROUND}[data-status='ready']", state="attached")


# Wait for every running CSS transition to end.
_TRANSITIONS_ENDED = """() => Promise.all(document.getAnimations()
  .filter((a) => a instanceof CSSTransition)
  .map((a) => a.finished.catch(() => null)))"""


def _run_axe(
    page: Any, script: str, rules: list[str] | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Inject axe-core into `page`; return its violations and the rules it ran."""
    options: dict[str, Any] = dict(AXE_OPTIONS)
    if rules is not None:
        options["runOnly"] = {"type": "rule", "values": rules}
    page.evaluate(script)
    # Colours are checked as they end, not halfway through a transition (the
    # header's search field fades in when the page widens to the desktop).
    page.evaluate(_TRANSITIONS_ENDED)
    violations, ran = page.evaluate(
        """options => axe.run(document, options).then((r) => [
          r.violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map(
            (n) => ({target: n.target, html: n.html.slice(0, 200)}))})),
          [...r.passes, ...r.violations, ...r.incomplete, ...r.inapplicable]
            .map((rule) => rule.id)])""",
        options,
    )
    return violations, sorted(set(ran))


def _toggle_palette(page: Any, start: str) -> list[str]:
    """Press the palette toggle to the other scheme and back; return problems."""
    other = "dark" if start == "light" else "light"
    problems = []
    for scheme in (other, start):
        try:
            page.locator(f"label[title='Switch to {scheme} mode']").click(
                timeout=TIMEOUT_MS
            )
            page.wait_for_function(
                "(s) => document.body.dataset.mdColorScheme === s",
                arg=SCHEMES[scheme],
                timeout=TIMEOUT_MS,
            )
        except Exception as error:  # Playwright's TimeoutError and kin
            first_line = str(error).splitlines()[0]
            problems.append(f"switching to {scheme}: {first_line}")
            break
    # Forget the choice, so that the next page follows the system again.
    page.evaluate("() => localStorage.clear()")
    return problems


# Each article figure: the file its first image shows and its buttons' count.
_FIGURE_SUMMARY = """() => [...document.querySelectorAll("article figure")].map((f) => [
  f.querySelector("img")?.currentSrc ?? "", f.querySelectorAll("button").length])"""


def _press_figure_buttons(page: Any) -> list[Control]:
    """Record each article figure; press each of its buttons twice."""
    controls = []
    figures = page.locator("article figure")
    for index, (first, count) in enumerate(page.evaluate(_FIGURE_SUMMARY)):
        if not count:
            controls.append(Control(figure_image=first, buttons=0, states=()))
        for button in figures.nth(index).locator("button").all():
            states = [button.evaluate(_BUTTON_STATE)]
            for _ in range(2):
                button.click()
                page.wait_for_function(_FIGURE_DECODED, arg=button.element_handle())
                states.append(button.evaluate(_BUTTON_STATE))
            controls.append(
                Control(
                    figure_image=first,
                    buttons=count,
                    states=tuple((t, p, tuple(shown)) for t, p, shown in states),
                )
            )
    return controls


# Each pass's screen: Lighthouse's phone in light (the checks after the first
# visit run at desktop width), a 2x desktop screen in dark.
SCREENS: dict[str, dict[str, Any]] = {
    "light": {**PHONE, "reduced_motion": "no-preference"},
    "dark": {"viewport": DESKTOP, "device_scale_factor": 2, "reduced_motion": "reduce"},
}


def _visit(recorder: Recorder, axe: str) -> Visit:
    """Record everything the checks need from one open page."""
    page, visit = recorder.page, recorder.visit
    light = visit.scheme == "light"
    visit.referenced_images = sorted(
        {recorder.site_path(u) for u in page.evaluate(_REFERENCED)}
    )
    visit.figures = _figures(recorder)
    visit.lazy_unloaded = page.evaluate(_LAZY_UNLOADED)
    visit.article_images = page.evaluate(_ARTICLE_IMAGES)
    visit.looping_animations = page.evaluate(_LOOPING)
    visit.scheme_shown = page.evaluate(_SCHEME)
    visit.playground_status = page.evaluate(_PLAYGROUND_STATUS)
    if light:
        page.set_viewport_size(DESKTOP)
        recorder.settle()
    visit.undecoded_images = page.evaluate(UNDECODED_IMAGES)
    visit.maths = page.evaluate(_MATHS)
    visit.links = [recorder.local(url) for url in page.evaluate(_LINKS)]
    rules = None if light else COLOUR_RULES
    visit.axe, visit.axe_rules = _run_axe(page, axe, rules)
    if light:
        visit.controls = _press_figure_buttons(page)
    else:
        visit.palette_toggle = _toggle_palette(page, visit.scheme)
    recorder.finish()
    return visit


def _first_visit(browser: Any, base: str, path: str, log: list[Any], axe: str) -> Visit:
    """The light pass: a first visit on the phone, then the checks."""
    context, recorder = first_visit(
        browser, base, path, log, scheme="light", context_options=SCREENS["light"]
    )
    try:
        return _visit(recorder, axe)
    finally:
        context.close()


def _figures(recorder: Recorder) -> list[Figure]:
    return [
        Figure(
            recorder.site_path(shown),
            float(width),
            tuple((recorder.site_path(u), int(w)) for u, w in candidates),
        )
        for shown, width, candidates in recorder.page.evaluate(_FIGURES)
    ]


# The whole site -----------------------------------------------------------


def _crawl_scheme(
    site: Path,
    serve: Callable[..., AbstractContextManager[str]],
    chromium: str,
    args: list[str],
    axe: str,
    scheme: str,
) -> dict[str, Visit]:
    """Visit every page in one scheme, with a browser and a server of its own."""
    from playwright.sync_api import sync_playwright

    log: list[Any] = []
    paths = page_paths(site)
    with (
        serve(site, prefix=site_prefix(site), compress=True, log=log) as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=chromium, args=[*args, NO_OTHER_HOSTS]
        )
        try:
            if scheme == "light":
                return {
                    path: _first_visit(browser, base, path, log, axe) for path in paths
                }
            shared = new_context(browser, scheme, SCREENS[scheme])
            visits = {}
            for path in paths:
                recorder = open_page(shared, base, path, log, scheme)
                try:
                    visits[path] = _visit(recorder, axe)
                finally:
                    recorder.page.close()
            return visits
        finally:
            browser.close()


def crawl_site(
    site: Path,
    serve: Callable[..., AbstractContextManager[str]],
    *,
    chromium: str,
    args: list[str],
    axe_script: str,
) -> Crawl:
    """Load every page of `site` once in each colour scheme; return what was seen.

    `serve` is ``serve_site.serve``. The two schemes are crawled at the same
    time, each in a thread of its own with its own browser and server (so
    that each server's log holds one page's responses): Playwright's sync
    API allows one instance per thread, and most of a page's time is spent
    waiting for the network to go quiet and for frames to be drawn.
    """
    with ThreadPoolExecutor(max_workers=len(SCHEMES)) as pool:
        futures = {
            scheme: pool.submit(
                _crawl_scheme, site, serve, chromium, args, axe_script, scheme
            )
            for scheme in SCHEMES
        }
        visits = {scheme: future.result() for scheme, future in futures.items()}
    return Crawl(prefix=site_prefix(site), visits=visits)
