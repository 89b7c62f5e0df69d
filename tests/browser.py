"""A small headless-Chromium driver for the report tests: the Chrome DevTools Protocol over a pipe.

No selenium, playwright or websocket library: Chromium started with
`--remote-debugging-pipe` reads CDP commands from its fd 3 and writes replies
and events to its fd 4, each message one JSON object followed by a NUL byte.

    with Browser() as browser:
        result = browser.open(Path("reports/index.html"))
        assert result.problems() == []      # console errors, external/failed requests, undrawn charts
        result.save_screenshot(Path("index.png"))
        results = browser.open_many(paths)  # the same, two pages loading at a time

Each page gets a fresh tab (flatten session mode: Target.createTarget,
Target.attachToTarget(flatten=True), sessionId on every message). After the
load event, the harness polls until every `[data-chart-spec]` element carries
`data-drawn="true"` (charts.js sets it once Plotly.newPlot resolves) and holds
an `svg.main-svg`, or charts.js gave up on it (`chart-missing`: no Plotly), or
the page timeout passes. Then it collects the console errors (console.error
and console.assert, uncaught exceptions, Log entries of level error), every
requested URL, the chart counts and a full-page screenshot, and closes the tab.

The browser never reaches the network: every host name resolves to "not
found" (`--host-resolver-rules`) and no proxy is used, so a report that asks
for an external URL is recorded (Network.requestWillBeSent) and fails fast
instead of waiting on DNS. file:// pages keep Chromium's default security (no
--allow-file-access-from-files): the reports need only plain <script src>.

Chromium is looked up in $HEART_CHROMIUM, then chromium, chromium-browser,
google-chrome on PATH. Run as a script to check pages by hand:

    python tests/browser.py reports/index.html reports/weekly/*.html --screenshot /tmp/shots
"""

from __future__ import annotations

import base64
import errno
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM_ENV = "HEART_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")

# Schemes a static report may load without reaching the network.
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})

CHART_STATE_JS = """(() => {
  const nodes = Array.from(document.querySelectorAll('[data-chart-spec]'));
  const drawn = n => n.getAttribute('data-drawn') === 'true' && n.querySelector('svg.main-svg') !== null;
  const root = document.documentElement, body = document.body;
  return {
    href: location.href,
    ready: document.readyState,
    title: document.title,
    charts: nodes.length,
    drawn: nodes.filter(drawn).length,
    undrawn: nodes.filter(n => !drawn(n)).map(n => n.getAttribute('data-chart-spec')),
    given_up: nodes.filter(n => n.classList.contains('chart-missing')).length,
    height: Math.max(root.scrollHeight, body ? body.scrollHeight : 0),
  };
})()"""


class BrowserError(RuntimeError):
    """Chromium could not be started, died, or did not answer in time."""


class ChromiumNotFound(BrowserError):
    """No Chromium binary: set $HEART_CHROMIUM or install the `chromium` package."""


def find_chromium() -> str | None:
    """$HEART_CHROMIUM if set (a path or a name on PATH), else the first of chromium, chromium-browser, google-chrome."""
    configured = os.environ.get(CHROMIUM_ENV, "").strip()
    if configured:
        return shutil.which(configured) or (configured if os.access(configured, os.X_OK) else None)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


AXE_ENV = "HEART_AXE"
# Where .ci/run installs axe-core (npm install --prefix .ci-tools axe-core@<pinned>).
AXE_PLACES = (".ci-tools/node_modules/axe-core/axe.min.js", "node_modules/axe-core/axe.min.js")
# Runs axe-core over the whole document once the charts are drawn; only violations come back, trimmed
# to what a failure message needs.
AXE_RUN_JS = """axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: (n.failureSummary || '').replace(/\\s+/g, ' ')})),
})))"""


def find_axe(repo: Path | None = None) -> Path | None:
    """axe.min.js: $HEART_AXE, else the copy .ci/run installs under the repository; None if neither exists."""
    if os.environ.get(AXE_ENV):
        path = Path(os.environ[AXE_ENV])
        return path if path.is_file() else None
    repo = repo or Path(__file__).resolve().parents[1]
    return next((repo / p for p in AXE_PLACES if (repo / p).is_file()), None)


def is_external(url: str) -> bool:
    """True for any URL a static report must not load: anything but file:, data:, blob:, about:."""
    return urlsplit(url).scheme.lower() not in LOCAL_SCHEMES


@dataclass
class PageResult:
    """What one page did in the browser, after its charts were drawn (or the wait timed out)."""

    url: str
    title: str
    console_errors: list[str]
    requests: list[str]               # every URL the page asked for, in order (the page itself first)
    external_requests: list[str]      # the ones that are not file:/data:/blob:/about:
    failed_requests: list[str]        # "URL: net::ERR_..." for loads that failed (a missing asset)
    charts: int                       # elements with [data-chart-spec]
    charts_drawn: int                 # ... with data-drawn="true" and an svg.main-svg inside
    undrawn_charts: list[str]         # data-chart-spec ids of the ones not drawn
    timed_out: bool                   # the charts were still not all drawn at the page timeout
    screenshot_png: bytes = field(repr=False, default=b"")
    probes: dict[str, object] = field(default_factory=dict)   # name -> value of each probe expression
    seconds: float = 0.0
    # axe-core's violations when the page was opened with `axe=` (None: not audited): one dict per rule,
    # {"id", "impact", "help", "nodes": [{"target", "summary"}, ...]}.
    axe_violations: list[dict] | None = None

    def problems(self) -> list[str]:
        """Human-readable failures: console errors, external or failed requests, undrawn charts."""
        found = [f"console error: {e}" for e in self.console_errors]
        found += [f"external request: {u}" for u in self.external_requests]
        found += [f"failed request: {u}" for u in self.failed_requests]
        if self.charts_drawn != self.charts:
            found.append(f"{self.charts - self.charts_drawn} of {self.charts} charts not drawn: {self.undrawn_charts}")
        return found

    def axe_text(self) -> list[str]:
        """One line per axe-core violation and node: rule, impact, the element and what is wrong."""
        return [f"{v['id']} ({v['impact']}): {n['target']} {n['summary']}"
                for v in self.axe_violations or [] for n in v["nodes"]]

    def save_screenshot(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.screenshot_png)
        return path


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill the Chromium process group this module started (its renderers and helpers too)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


class Browser:
    """One headless Chromium process, driven over --remote-debugging-pipe. Use it as a context manager."""

    def __init__(self, executable: str | None = None, *, width: int = 1280, height: int = 800,
                 max_height: int = 6000, command_timeout: float = 10.0, page_timeout: float = 15.0,
                 start_timeout: float = 30.0, settle: float = 0.2, extra_args: tuple[str, ...] = ()) -> None:
        self.executable = executable or find_chromium()
        self.width, self.height, self.max_height = width, height, max_height
        self.command_timeout, self.page_timeout, self.start_timeout = command_timeout, page_timeout, start_timeout
        self.settle = settle
        self.extra_args = tuple(extra_args)
        self._proc: subprocess.Popen | None = None
        self._profile: tempfile.TemporaryDirectory | None = None
        self._write_fd = self._read_fd = -1
        self._buffer = b""
        self._next_id = 0
        self._events: dict[str, list[dict]] = {}   # sessionId -> that page's events
        self._finalizer = None
        self.version = ""

    # -- lifecycle ---------------------------------------------------------------------------------

    def __enter__(self) -> Browser:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        if self._proc is not None:
            return
        if not self.executable:
            raise ChromiumNotFound(
                f"no Chromium found: set ${CHROMIUM_ENV} to its path, or install it "
                f"(Debian/Ubuntu: apt-get install chromium); looked for {', '.join(CHROMIUM_NAMES)} on PATH")
        self._profile = tempfile.TemporaryDirectory(prefix="heart-chromium-")
        profile = Path(self._profile.name)
        args = [
            self.executable, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--no-default-browser-check", f"--user-data-dir={profile / 'profile'}",
            f"--window-size={self.width},{self.height}", "--hide-scrollbars", "--mute-audio",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update",
            "--disable-default-apps", "--disable-sync", "--disable-dev-shm-usage", "--no-proxy-server",
            # Pages load side by side (open_many): none may be throttled as a background tab.
            "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows",
            "--host-resolver-rules=MAP * ~NOTFOUND", *self.extra_args, "about:blank",
        ]
        # Chromium reads commands from fd 3 and writes to fd 4. The child's ends of the two pipes
        # are moved to fd 10 or above first (close-on-exec), so that the dup2 calls in the child
        # cannot overwrite one another. pass_fds=(3, 4) keeps the two from close_fds, which runs
        # after preexec_fn; every other descriptor of this process is closed in the child.
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def arrange_fds() -> None:  # runs in the child between fork and exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self._stderr = open(profile / "stderr.log", "wb")
        try:
            self._proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=self._stderr, stderr=self._stderr,
                pass_fds=(3, 4), preexec_fn=arrange_fds, start_new_session=True)
        except OSError as exc:
            for fd in (child_in, child_out, to_child_w, from_child_r):
                os.close(fd)
            self._cleanup_files()
            raise BrowserError(f"could not start {self.executable}: {exc}") from exc
        finally:
            if self._proc is not None:
                os.close(child_in)
                os.close(child_out)
        self._finalizer = weakref.finalize(self, _kill_group, self._proc)
        self._write_fd, self._read_fd = to_child_w, from_child_r
        os.set_blocking(self._write_fd, False)
        try:
            self.version = self.send("Browser.getVersion", timeout=self.start_timeout).get("product", "")
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                self._proc = proc
                try:
                    self._send_only("Browser.close", timeout=2)
                    self._drain(time.monotonic() + 2)   # Chromium exits once it has written everything
                    proc.wait(timeout=1)
                except (BrowserError, OSError, ValueError, subprocess.TimeoutExpired):
                    pass
                self._proc = None
            _kill_group(proc)   # whatever is left of the group (helpers outliving the browser)
            if self._finalizer is not None:
                self._finalizer.detach()
        for fd in (self._write_fd, self._read_fd):
            if fd >= 0:
                os.close(fd)
        self._write_fd = self._read_fd = -1
        self._cleanup_files()

    def _drain(self, deadline: float) -> None:
        """Read and drop whatever Chromium still writes, until it closes the pipe or the deadline."""
        while (remaining := deadline - time.monotonic()) > 0:
            if not select.select([self._read_fd], [], [], remaining)[0] or not os.read(self._read_fd, 1 << 20):
                return

    def _cleanup_files(self) -> None:
        if getattr(self, "_stderr", None) is not None:
            self._stderr.close()
            self._stderr = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def _stderr_tail(self, lines: int = 15) -> str:
        """The exit code (if Chromium has exited) and its last lines of output, for error messages."""
        code = self._proc.poll() if self._proc is not None else None
        status = f" (exit code {code})" if code is not None else ""
        if self._profile is None:
            return status
        try:
            text = (Path(self._profile.name) / "stderr.log").read_text(errors="replace")
        except OSError:
            return status
        tail = "\n".join(text.strip().splitlines()[-lines:])
        return f"{status}\nChromium's last output:\n{tail}" if tail else status

    # -- the protocol ------------------------------------------------------------------------------

    def _send_only(self, method: str, params: dict | None = None, session_id: str | None = None,
                   timeout: float | None = None) -> int:
        if self._proc is None:
            raise BrowserError("the browser is not running (use `with Browser() as browser:`)")
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session_id:
            message["sessionId"] = session_id
        data = json.dumps(message).encode() + b"\0"
        deadline = time.monotonic() + (timeout or self.command_timeout)
        while data:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError(f"timed out writing {method} to Chromium{self._stderr_tail()}")
            select.select([], [self._write_fd], [], remaining)
            try:
                data = data[os.write(self._write_fd, data):]
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno == errno.EPIPE:
                    raise BrowserError(f"Chromium exited (sending {method}){self._stderr_tail()}") from exc
                raise
        return self._next_id

    def _receive(self, deadline: float) -> dict | None:
        """The next message from Chromium, or None when the deadline passes first."""
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._read_fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                try:
                    self._proc.wait(timeout=1)   # for the exit code in the message
                except subprocess.TimeoutExpired:
                    pass
                raise BrowserError(f"Chromium closed the debugging pipe (it exited){self._stderr_tail()}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, *, session_id: str | None = None,
             timeout: float | None = None) -> dict:
        """Send one command and return its result; events that arrive meanwhile are kept for their page."""
        timeout = timeout or self.command_timeout
        command_id = self._send_only(method, params, session_id, timeout)
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message is None:
                raise BrowserError(f"no answer to {method} within {timeout:.0f} s{self._stderr_tail()}")
            if message.get("id") == command_id:
                if "error" in message:
                    error = message["error"]
                    raise BrowserError(f"{method} failed: {error.get('message')} {error.get('data', '')}".strip())
                return message.get("result", {})
            self._keep(message)

    def _keep(self, message: dict) -> None:
        """File an event under the page (session) it belongs to; drop the rest (browser-level events)."""
        events = self._events.get(message.get("sessionId"))
        if events is not None and "method" in message:
            events.append(message)

    def _pump(self, seconds: float) -> None:
        """Collect the events that arrive within `seconds` (0: only those already waiting)."""
        deadline = time.monotonic() + seconds
        while (message := self._receive(deadline)) is not None:
            self._keep(message)

    def evaluate(self, expression: str, session_id: str):
        """The value of a JavaScript expression in a page (awaiting a promise)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session_id=session_id)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"evaluating {expression[:60]!r} threw: {text}")
        return result.get("result", {}).get("value")

    # -- pages -------------------------------------------------------------------------------------

    def open(self, target: Path | str, *, probes: dict[str, str] | None = None, screenshot: bool = True,
             timeout: float | None = None, axe: str | None = None) -> PageResult:
        """Load a page (a path, or a URL), wait for its charts, and report what happened.

        `probes` maps a name to a JavaScript expression evaluated once the charts are drawn;
        the values come back in `PageResult.probes` (e.g. {"canary": "typeof window.__heart_canary"}).
        """
        return self.open_many([target], probes=probes, screenshot=screenshot, timeout=timeout, axe=axe)[0]

    def open_many(self, targets, *, probes: dict[str, str] | None = None, screenshot: bool = True,
                  timeout: float | None = None, concurrency: int = 2, axe: str | None = None) -> list[PageResult]:
        """`open` each target, up to `concurrency` loading at once (each in its own tab); results in order.

        `axe`: the text of axe.min.js; when given, it is injected into each page after its charts are
        drawn and `axe.run()` audits the page (PageResult.axe_violations).

        Loading a report is mostly V8 compiling plotly.min.js and drawing the charts, in the
        page's renderer process; two tabs use two processes, so two cores.
        """
        waiting = list(enumerate(targets))[::-1]
        active: list[_Page] = []
        results: list[PageResult | None] = [None] * len(waiting)
        try:
            while waiting or active:
                while waiting and len(active) < max(1, concurrency):
                    index, target = waiting.pop()
                    active.append(self._start_page(index, target, timeout or self.page_timeout))
                for page in list(active):
                    if self._page_ready(page):
                        active.remove(page)
                        try:
                            results[page.index] = self._finish_page(page, probes, screenshot, axe)
                        finally:
                            self._close_page(page)
                if active:
                    self._pump(0.05)
        finally:
            for page in active:
                self._close_page(page)
        return results

    def _start_page(self, index: int, target: Path | str, timeout: float) -> _Page:
        url = str(target) if isinstance(target, str) and "://" in target else Path(target).resolve().as_uri()
        started = time.monotonic()
        target_id = self.send("Target.createTarget", {"url": "about:blank", "newWindow": True})["targetId"]
        page = _Page(index, url, target_id, "", started, started + timeout)
        try:
            page.session_id = self.send("Target.attachToTarget", {"targetId": target_id, "flatten": True})["sessionId"]
            # Runtime is enabled only once the page has settled: with it on during the load, V8
            # takes about a second longer to compile plotly.min.js. Nothing is lost: on
            # Runtime.enable the inspector replays every console message and uncaught exception
            # the page has produced so far, then reports new ones as they happen.
            for domain in ("Log", "Network", "Page"):
                self.send(f"{domain}.enable", session_id=page.session_id)
            self.send("Emulation.setDeviceMetricsOverride", {
                "width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False,
            }, session_id=page.session_id)
            self._events[page.session_id] = []   # from here on: this page's events only
            navigation = self.send("Page.navigate", {"url": url}, session_id=page.session_id)
            if navigation.get("errorText"):
                raise BrowserError(f"could not open {url}: {navigation['errorText']}")
        except BaseException:
            self._close_page(page)
            raise
        return page

    def _page_ready(self, page: _Page) -> bool:
        """True once the page has loaded and drawn every chart, or its time is up (timed_out set)."""
        events = self._events[page.session_id]
        if not page.loaded:
            page.loaded = any(e["method"] == "Page.loadEventFired" for e in events)
            if not page.loaded:
                if time.monotonic() >= page.deadline:
                    raise BrowserError(f"{page.url} did not finish loading within "
                                       f"{page.deadline - page.started:.0f} s")
                return False
        page.state = self.evaluate(CHART_STATE_JS, page.session_id)
        settled = page.state["href"] == page.url and page.state["ready"] == "complete"
        # charts.js marks a chart it cannot draw (no Plotly) "chart-missing": no use waiting for it.
        if settled and page.state["drawn"] + page.state["given_up"] == page.state["charts"]:
            return True
        page.timed_out = time.monotonic() >= page.deadline
        return page.timed_out

    def _finish_page(self, page: _Page, probes: dict[str, str] | None, screenshot: bool,
                     axe: str | None = None) -> PageResult:
        session_id, state = page.session_id, page.state
        self.send("Runtime.enable", session_id=session_id)
        self._pump(self.settle)   # an error thrown just after the last chart was drawn
        probe_values = {name: self.evaluate(expr, session_id) for name, expr in (probes or {}).items()}
        png = self._screenshot(page, state["height"]) if screenshot else b""
        self._pump(0)
        # The page's own events, taken before the audit: axe-core fetches stylesheets itself (a file:// page
        # refuses it a linked one, which Chromium logs as an error of the page's, not of the report's).
        events = list(self._events[session_id])
        requests = _requests(events)
        violations = None
        if axe is not None:
            # Injected last: the audit sees the page as a reader does, charts drawn.
            self.send("Runtime.evaluate", {"expression": axe}, session_id=session_id,
                      timeout=max(self.command_timeout, 30))
            violations = self.send("Runtime.evaluate", {"expression": AXE_RUN_JS, "returnByValue": True,
                                                        "awaitPromise": True}, session_id=session_id,
                                   timeout=max(self.command_timeout, 60)).get("result", {}).get("value")
            if violations is None:
                raise BrowserError(f"axe.run() gave no result on {page.url}")
        return PageResult(
            url=page.url, title=state["title"], console_errors=_console_errors(events), requests=requests,
            external_requests=[u for u in requests if is_external(u)], failed_requests=_failed(events),
            charts=state["charts"], charts_drawn=state["drawn"], undrawn_charts=state["undrawn"],
            timed_out=page.timed_out, screenshot_png=png, probes=probe_values,
            seconds=time.monotonic() - page.started, axe_violations=violations,
        )

    def _close_page(self, page: _Page) -> None:
        self._events.pop(page.session_id, None)
        try:
            self.send("Target.closeTarget", {"targetId": page.target_id})
        except BrowserError:
            pass

    def _screenshot(self, page: _Page, height: int) -> bytes:
        """The whole page (up to max_height) at the viewport's width, as PNG bytes.

        captureBeyondViewport renders the part below the 800-pixel viewport too, so the
        viewport is not resized (which would make plotly's responsive charts redraw): the
        result is byte-for-byte the same as resizing the viewport to the page's height first.
        """
        full = max(self.height, min(int(height or 0), self.max_height))
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": self.width, "height": full, "scale": 1},
        }, session_id=page.session_id, timeout=max(self.command_timeout, 30))
        return base64.b64decode(shot["data"])


@dataclass
class _Page:
    """A page being loaded: its tab, session and deadline, and the chart state last seen."""

    index: int
    url: str
    target_id: str
    session_id: str
    started: float
    deadline: float
    loaded: bool = False
    timed_out: bool = False
    state: dict = field(default_factory=dict)


def _remote_text(arg: dict) -> str:
    if "value" in arg:
        return arg["value"] if isinstance(arg["value"], str) else json.dumps(arg["value"])
    return arg.get("description") or arg.get("unserializableValue") or arg.get("type", "?")


def _where(url: str | None, line: int | None) -> str:
    return f" ({url}:{line + 1 if line is not None else '?'})" if url else ""


def _console_errors(events: list[dict]) -> list[str]:
    errors: list[str] = []
    exceptions: dict[int, str] = {}   # exceptionId -> text; a rejection handled later is revoked
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            frames = params.get("stackTrace", {}).get("callFrames") or [{}]
            text = " ".join(_remote_text(a) for a in params.get("args", []))
            errors.append(f"console.{params['type']}: {text}{_where(frames[0].get('url'), frames[0].get('lineNumber'))}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "exception")
            errors.append(f"uncaught: {text}{_where(details.get('url'), details.get('lineNumber'))}")
            exceptions[details.get("exceptionId")] = errors[-1]
        elif method == "Runtime.exceptionRevoked" and params.get("exceptionId") in exceptions:
            errors.remove(exceptions.pop(params["exceptionId"]))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            errors.append(f"{entry.get('source', 'log')}: {entry.get('text', '')}"
                          f"{_where(entry.get('url'), entry.get('lineNumber'))}")
    return errors


def _requests(events: list[dict]) -> list[str]:
    urls = []
    for event in events:
        if event["method"] == "Network.requestWillBeSent":
            urls.append(event["params"]["request"]["url"])
        elif event["method"] == "Network.webSocketCreated":
            urls.append(event["params"]["url"])
    return urls


def _failed(events: list[dict]) -> list[str]:
    urls = {e["params"]["requestId"]: e["params"]["request"]["url"]
            for e in events if e["method"] == "Network.requestWillBeSent"}
    return [f"{urls.get(e['params']['requestId'], '?')}: {e['params'].get('errorText', '')}"
            for e in events if e["method"] == "Network.loadingFailed" and not e["params"].get("canceled")]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Open report pages in headless Chromium and list their problems.")
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--screenshot", type=Path, help="PNG path (one page) or folder (several pages)")
    args = parser.parse_args(argv)
    failed = 0
    with Browser() as browser:
        for page, result in zip(args.pages, browser.open_many(args.pages)):
            problems = result.problems()
            failed += bool(problems)
            print(f"{page}: {result.charts_drawn}/{result.charts} charts, {len(result.requests)} requests, "
                  f"{result.seconds:.1f} s, title {result.title!r}")
            for problem in problems:
                print(f"  {problem}")
            if args.screenshot:
                out = args.screenshot / f"{page.stem}.png" if len(args.pages) > 1 else args.screenshot
                print(f"  screenshot: {result.save_screenshot(out)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
