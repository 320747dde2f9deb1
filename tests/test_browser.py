"""The app in a real browser: ``streamlit run`` and headless Debian Chromium driven over the DevTools
protocol (websocket-client), on stores built from the real documents of ``data/``.

Run as a script to refresh the README's screenshots::

    .venv/bin/python tests/test_browser.py docs/screenshots
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PAYLOAD = '<script>window.__xss=1</script>信息公开<img src=x onerror="window.__xss=2">'
# A national requirement that lower documents implement, so the Trace page shows it too.
PAYLOAD_TARGET = ("2021_national_state_council_workpoints.txt", "继续深化地方政府债务信息公开,")

pytestmark = pytest.mark.browser


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def wait_until(predicate, timeout: float, what: str, step: float = 0.25):
    """Poll ``predicate`` until it returns something truthy; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except Exception as err:  # the page or server is still coming up
            last = err
        else:
            if last:
                return last
        time.sleep(step)
    raise AssertionError(f"gave up waiting for {what} (last: {last!r})")


@contextmanager
def streamlit_app(store: Path, data_dir: Path):
    """``streamlit run app.py`` on a free local port, headless, pointed at ``store``; yields its URL."""
    port = free_port()
    env = dict(os.environ, CASCADE_STORE=str(store), CASCADE_DATA=str(data_dir))
    env.pop("CASCADE_BOLT_URI", None)   # the app reads this store, not a Bolt server the suite may run
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until(lambda: proc.poll() is None and _get(url + "/_stcore/health") == b"ok", 60, "streamlit")
        except AssertionError:
            log.seek(0)
            raise AssertionError("streamlit did not start: " + log.read().decode(errors="replace")[-2000:])
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class DevTools:
    """A minimal DevTools-protocol client over one page target."""

    def __init__(self, ws_url: str):
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.next_id = 0

    def send(self, method: str, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def eval(self, expression: str, gesture: bool = False):
        """The value of ``expression`` in the page; ``gesture``: as if the user did it (a click that
        opens a tab needs one)."""
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True,
                      userGesture=gesture)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"].get("text"))
        return r["result"].get("value")

    def goto(self, url: str) -> None:
        self.send("Page.navigate", url=url)

    def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])
        path.write_bytes(data)
        return data

    def close(self):
        self.ws.close()


@contextmanager
def headless_chromium(width: int = 1440, height: int = 1100):
    """Debian's chromium, headless, with a fresh profile; yields a :class:`DevTools` on a blank page."""
    exe = chromium()
    port = free_port()
    profile = tempfile.mkdtemp(prefix="cascade-chromium-")
    proc = subprocess.Popen(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         f"--user-data-dir={profile}", f"--remote-debugging-port={port}", "--remote-debugging-address=127.0.0.1",
         f"--window-size={width},{height}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tools = None
    try:
        def page_target():
            targets = json.loads(_get(f"http://127.0.0.1:{port}/json/list"))
            return next((t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page"), None)

        tools = DevTools(wait_until(page_target, 60, "chromium's DevTools endpoint"))
        tools.send("Page.enable")
        tools.send("Runtime.enable")
        tools.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        yield tools
    finally:
        if tools:
            tools.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


# What the page knows about the pyvis iframe: st.iframe embeds HTML same-origin, so the parent can read it.
GRAPH_STATE = """(() => {
  for (const f of document.querySelectorAll('iframe')) {
    let w; try { w = f.contentWindow; if (!w || !w.cascadeView) continue; } catch (e) { continue; }
    const body = w.document.body, canvas = w.document.querySelector('canvas');
    if (!body || body.getAttribute('data-drawn') !== '1' || !canvas) return null;
    const ctx = canvas.getContext('2d'), img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 0; i < img.length; i += 4) {
      if (img[i + 3] > 0 && (img[i] < 235 || img[i + 1] < 235 || img[i + 2] < 235)) inked++;
    }
    return {nodes: w.cascadeView.nodes.length, edges: w.cascadeView.edges.length, inked: inked,
            pixels: canvas.width * canvas.height};
  }
  return null;
})()"""


def wait_for_graph(tools: DevTools, timeout: float = 90) -> dict:
    return wait_until(lambda: tools.eval(GRAPH_STATE), timeout, "the vis canvas inside the pyvis iframe")


def settle(tools: DevTools, timeout: float = 60, quiet_polls: int = 8) -> None:
    """Wait until Streamlit has finished running the script: the app is there and its 'running'
    status widget has stayed away for several polls in a row (a run may not have started yet)."""
    quiet = [0]

    def idle():
        busy = tools.eval("document.querySelector('[data-testid=\"stApp\"]') === null || "
                          "document.querySelector('[data-testid=\"stStatusWidget\"]') !== null || "
                          "document.querySelector('[data-testid=\"stSkeleton\"]') !== null")
        quiet[0] = 0 if busy else quiet[0] + 1
        return quiet[0] >= quiet_polls

    wait_until(idle, timeout, "streamlit to finish the run")


def search(tools: DevTools, text: str) -> None:
    """Type into the Cascade page's search box and press Enter, as a user would."""
    # The Cascade page's own box (the sidebar's search box, on every page, is labelled otherwise).
    wait_until(lambda: tools.eval("(() => { const i = document.querySelector('input[aria-label^=\"Search a task\"]');"
                                  " if (!i) return false; i.focus(); return document.activeElement === i; })()"),
               60, "the search box")
    tools.send("Input.insertText", text=text)
    for kind in ("keyDown", "keyUp"):
        tools.send("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13,
                   nativeVirtualKeyCode=13, **({"text": "\r"} if kind == "keyDown" else {}))


def build_store(data_dir: Path, store: Path) -> Path:
    from cascade.pipeline import build

    build([data_dir], store=store)
    return store


@pytest.fixture(scope="module")
def chrome():
    if chromium() is None:
        pytest.skip("chromium is not installed (scripts/test installs it with apt-get when CI=true or apt is available)")
    pytest.importorskip("websocket", reason="websocket-client is needed to drive chromium")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """The seed documents with a task whose text carries a script and an onerror handler."""
    root = tmp_path_factory.mktemp("hostile")
    data_dir = root / "data"
    shutil.copytree(DATA, data_dir, ignore=shutil.ignore_patterns("reviews.yaml", "uploads"))
    name, task = PAYLOAD_TARGET
    path = data_dir / name
    text = path.read_text(encoding="utf-8")
    assert task in text, "the seed changed: pick another task for the payload"
    path.write_text(text.replace(task, task.replace("信息公开", PAYLOAD), 1), encoding="utf-8")
    return build_store(data_dir, root / ".cascade"), data_dir


def test_cascade_page_draws_the_graph_in_a_real_browser(chrome, built, tmp_path):
    store = built[1]
    with streamlit_app(store, DATA) as url, headless_chromium() as tools:
        tools.goto(url + "/cascade")
        state = wait_for_graph(tools)
        settle(tools)
        shot = tools.screenshot(tmp_path / "cascade.png")
        caption = tools.eval("document.body.innerText")
    drawn = int(caption.split(" node(s) drawn")[0].split()[-1])
    assert state["nodes"] == drawn > 0
    assert state["edges"] > 0
    assert state["inked"] > 0.002 * state["pixels"], state
    assert shot.startswith(b"\x89PNG") and len(shot) > 20_000



def click_node(tools: DevTools, node: str) -> None:
    """A real mouse click on ``node`` of the graph view: its place on the canvas, inside the iframe."""
    where = wait_until(lambda: tools.eval("""(() => {
      for (const f of document.querySelectorAll('iframe')) {
        const w = f.contentWindow; if (!w || !w.cascadeView) continue;
        const net = w.cascadeView.network, pos = net.getPositions([%s])[%s];
        if (!pos) return null;
        const dom = net.canvasToDOM(pos), box = f.getBoundingClientRect(),
              canvas = w.document.querySelector('canvas').getBoundingClientRect();
        return {x: box.left + canvas.left + dom.x, y: box.top + canvas.top + dom.y};
      } return null; })()""" % (json.dumps(node), json.dumps(node))), 30, f"{node} on the canvas")
    for kind in ("mousePressed", "mouseReleased"):
        tools.send("Input.dispatchMouseEvent", type=kind, x=where["x"], y=where["y"], button="left", clickCount=1)


SHOWN = """(() => { for (const f of document.querySelectorAll('iframe')) {
  const w = f.contentWindow; if (!w || !w.cascadeView) continue;
  return w.cascadeView.nodes.getIds(); } return null; })()"""


def test_a_click_on_a_document_opens_it_into_its_tasks_and_a_second_closes_it(chrome, built, tmp_path):
    from graph.store import load_graph

    store = built[1]
    G = load_graph(store)
    doc = "2022-guangzhou"
    tasks = {n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == doc}
    with streamlit_app(store, DATA) as url, headless_chromium() as tools:
        tools.goto(url + "/cascade")
        closed = wait_for_graph(tools)
        settle(tools)
        before = set(tools.eval(SHOWN))
        click_node(tools, doc)
        opened = wait_until(lambda: (lambda ids: ids if tasks & set(ids) else None)(tools.eval(SHOWN)), 30,
                            "the document's tasks in the view")
        time.sleep(1)
        tools.screenshot(tmp_path / "opened.png")
        click_node(tools, doc)
        after = wait_until(lambda: (lambda ids: ids if not tasks & set(ids) else None)(tools.eval(SHOWN)), 30,
                           "the tasks gone again")
    assert before == {n for n, d in G.nodes(data=True) if d.get("label") == "Document"} and closed["nodes"] == len(before)
    assert tasks <= set(opened) and set(opened) - before - tasks   # its sections (and units) came too
    assert set(after) == before


def test_cascade_of_a_large_store_goes_from_groups_to_a_region_whose_documents_open_on_a_click(chrome, built,
                                                                                               monkeypatch):
    from urllib.parse import quote

    from graph.store import load_graph

    store = built[1]
    G = load_graph(store)
    doc = "2022-huangpu"
    tasks = {n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == doc}
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")      # the seed store stands in for a nation-year
    with streamlit_app(store, DATA) as url, headless_chromium() as tools:
        tools.goto(url + "/cascade")
        wait_for_graph(tools)
        settle(tools)
        groups = set(tools.eval(SHOWN))
        tools.goto(url + "/cascade?region=" + quote(G.nodes[doc]["region"]))
        wait_for_graph(tools)
        settle(tools)
        before = set(tools.eval(SHOWN))
        click_node(tools, doc)
        opened = wait_until(lambda: (lambda ids: ids if tasks & set(ids) else None)(tools.eval(SHOWN)), 30,
                            "the document's tasks in the view")
    assert groups == {f"{d['level']}|{d['region']}" for _, d in G.nodes(data=True) if d.get("label") == "Document"}
    assert doc in before and not tasks & before
    assert tasks & set(opened)


def _payload_task(store: Path) -> tuple[str, bool]:
    """The hostile task's id, and whether its document is one that lower documents implement."""
    from graph.store import load_graph

    G = load_graph(store)
    task = next(n for n, d in G.nodes(data=True) if d.get("label") == "Task" and "__xss" in (d.get("text") or ""))
    doc = G.nodes[task]["doc_id"]
    return task, any(d.get("type") == "IMPLEMENTS" for _, _, d in G.in_edges(doc, data=True))


NOTHING_RAN = ("[window.__xss, ...Array.from(document.querySelectorAll('iframe')).map(f => {"
               " try { return f.contentWindow.__xss; } catch (e) { return 'unreachable'; } })]")


def test_document_script_is_shown_as_text_and_never_runs(chrome, hostile_store):
    store, data_dir = hostile_store
    task, implemented = _payload_task(store)
    assert implemented, "the payload should sit in a document lower ones implement (for the Trace page)"
    with streamlit_app(store, data_dir) as url, headless_chromium() as tools:
        tools.goto(url + "/cascade")
        wait_for_graph(tools)
        search(tools, "__xss")
        shown = wait_until(lambda: (lambda t: t if "window.__xss=1" in (t or "") else None)(
            tools.eval("(() => { const d = document.querySelector('[data-testid=\"stText\"]'); return d && d.innerText; })()")),
            60, "the task's text in the details")
        state = wait_for_graph(tools)
        # Hover text and the panel a click pins: the text is there, as text, with no element made of it.
        pinned = tools.eval("""(() => {
          for (const f of document.querySelectorAll('iframe')) {
            const w = f.contentWindow; if (!w || !w.cascadeView) continue;
            const hit = w.cascadeView.nodes.get(%s);
            if (!hit) continue;
            w.cascadeView.network.body.emitter.emit('click', {nodes: [hit.id], edges: []});
            const panel = w.document.getElementById('cv-panel');
            return {tip: hit.title.textContent, tip_tags: hit.title.querySelectorAll('script,img').length,
                    panel: panel.textContent, panel_tags: panel.querySelectorAll('script,img').length,
                    shown: panel.style.display};
          }
          return null; })()""" % json.dumps(task))
        ran_on_cascade = tools.eval(NOTHING_RAN)
        # The pinned panel's "trace it" opens the Trace page of that requirement in a new tab.
        href = tools.eval("""(() => { for (const f of document.querySelectorAll('iframe')) {
            const w = f.contentWindow; if (!w || !w.cascadeView) continue;
            const a = Array.from(w.document.querySelectorAll('#cv-panel a')).find(a => a.textContent === 'trace it');
            if (a) { a.click(); return a.href; } } return null; })()""", gesture=True)
        tabs = wait_until(lambda: [t for t in tools.send("Target.getTargets")["targetInfos"]
                                   if t["type"] == "page" and "/trace?" in t["url"]], 30, "the Trace tab")
        opened = [t["url"] for t in tabs]
        for t in tabs:   # back to our tab: a tab in the background does not draw
            tools.send("Target.closeTarget", targetId=t["targetId"])
        tools.send("Page.bringToFront")
        from urllib.parse import quote

        tools.goto(f"{url}/trace?task={quote(task)}")
        trace_text = wait_until(lambda: (lambda t: t if "window.__xss=1" in (t or "") else None)(
            tools.eval("document.body.innerText")), 60, "the task's text in the trace tree")
        wait_for_graph(tools)
        ran_on_trace = tools.eval(NOTHING_RAN)
    assert "<script>window.__xss=1</script>" in shown
    assert '<img src=x onerror="window.__xss=2">' in shown
    assert state["nodes"] > 0
    assert pinned is not None and pinned["shown"] == "block"
    assert "<script>window.__xss=1</script>" in pinned["tip"] and "<script>window.__xss=1</script>" in pinned["panel"]
    assert pinned["tip_tags"] == pinned["panel_tags"] == 0
    assert all(v is None for v in ran_on_cascade), ran_on_cascade
    from urllib.parse import quote as _quote

    assert href and href.endswith("/trace?task=" + _quote(task, safe="")) and opened == [href]
    assert "<script>window.__xss=1</script>" in trace_text
    assert all(v is None for v in ran_on_trace), ran_on_trace


def test_review_accepts_a_link_from_the_keyboard(chrome, hostile_store):
    from graph.reviews import read_reviews

    store, data_dir = hostile_store
    reviews = data_dir / "reviews.yaml"
    reviews.unlink(missing_ok=True)
    with streamlit_app(store, data_dir) as url, headless_chromium() as tools:
        tools.goto(url + "/review")
        wait_until(lambda: tools.eval("document.body.innerText.includes('Link 1 of')"), 60, "the review page")
        settle(tools)
        tools.eval("document.activeElement && document.activeElement.blur()")
        for kind in ("keyDown", "keyUp"):
            tools.send("Input.dispatchKeyEvent", type=kind, key="y", code="KeyY", windowsVirtualKeyCode=89,
                       nativeVirtualKeyCode=89, **({"text": "y"} if kind == "keyDown" else {}))
        saved = wait_until(lambda: read_reviews(reviews), 60, "the decision in reviews.yaml")
    assert [r["status"] for r in saved.values()] == ["confirmed"]


def test_walk_from_the_overview_to_a_gap_its_trace_and_a_mark(chrome, cut_built, tmp_path):
    """overview → 缺口 worklist → the gap's trace → back → mark it: the path an analyst takes."""
    from graph.marks import read_marks

    store = tmp_path / ".cascade"
    shutil.copytree(cut_built[1], store)
    data_dir = tmp_path / "data"
    shutil.copytree(cut_built[1].parent / "data", data_dir, ignore=shutil.ignore_patterns("reviews.yaml", "marks.yaml"))
    click = """(() => { const el = Array.from(document.querySelectorAll(%s)).find(e => e.innerText.trim().endsWith(%s));
                 if (!el) return false; el.click(); return true; })()"""
    text = lambda: tools.eval("document.body.innerText") or ""  # noqa: E731
    with streamlit_app(store, data_dir) as url, headless_chromium() as tools:
        tools.goto(url)
        wait_until(lambda: "Overview" in text(), 60, "the overview")
        settle(tools)
        # from the overview's count of gaps to the worklist
        assert wait_until(lambda: tools.eval(click % (json.dumps("a"), json.dumps("Gap worklist: 2 gaps, 46 not assessable →"))),
                          30, "the overview's link to the worklist")
        wait_until(lambda: "who must act" in text() and "Showing" in text(), 60, "the worklist")
        settle(tools)
        page = text()
        tools.screenshot(tmp_path / "worklist.png")
        # (a document named by its title, not its id)
        assert "广州市黄埔区人民政府办公室" in page and "no task of 《广州市黄埔区广州开发区2022年政务公开工作要点分工方案》 derives from it" in page
        # the first row is a gap: its trace, then back
        assert wait_until(lambda: tools.eval(click % (json.dumps("a"), json.dumps("Trace it"))), 30, "the trace link")
        wait_until(lambda: "/trace" in tools.eval("location.href") and "gap" in text(), 60, "the trace page")
        settle(tools)
        trace_url = tools.eval("location.href")
        tools.send("Runtime.evaluate", expression="history.back()")
        wait_until(lambda: "Showing" in text(), 60, "the worklist again")
        settle(tools)
        # … its two documents side by side, then back
        assert wait_until(lambda: tools.eval(click % (json.dumps("a"), json.dumps("Compare the two documents"))),
                          30, "the compare link")
        wait_until(lambda: "/compare" in tools.eval("location.href") and "not taken up" in text(), 60, "the compare page")
        settle(tools)
        compare_url, compare_text = tools.eval("location.href"), text()
        tools.send("Runtime.evaluate", expression="history.back()")
        wait_until(lambda: "Showing" in text(), 60, "the worklist once more")
        settle(tools)
        assert wait_until(lambda: tools.eval(click % (json.dumps("button"), json.dumps("confirmed gap"))), 30, "the mark")
        marks = wait_until(lambda: read_marks(data_dir / "marks.yaml"), 60, "the mark in marks.yaml")
        wait_until(lambda: "Saved: confirmed gap" in text() or "confirmed gap\n1" in text(), 30, "the count")
    from urllib.parse import parse_qs, urlparse

    (upper, lower), mark = next(iter(marks.items()))
    assert mark["verdict"] == "confirmed_gap" and lower == "2022-huangpu"
    assert parse_qs(urlparse(trace_url).query)["task"] == [upper]
    assert parse_qs(urlparse(compare_url).query)["lower"] == [lower] and upper in compare_text


def screenshots(out: Path, search_for: str = "2022-national/一", depth: int = 1, requirement: str = "2022-national/一/(一)/(一).2") -> None:
    """The README's screenshots of the Cascade and the Trace page, on the seed documents: one
    national requirement, its neighbourhood in the cascade and its trace down to the district; and the
    cascade of documents with the city plan opened by a click."""
    from urllib.parse import quote

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(DATA, Path(tmp) / ".cascade")
        with streamlit_app(store, DATA) as url, headless_chromium(1440, 1250) as tools:
            tools.goto(f"{url}/cascade?q={quote(search_for)}&depth={depth}")
            wait_for_graph(tools)
            settle(tools)
            time.sleep(1.5)   # let the last animation frame land before the picture
            tools.screenshot(out / "cascade.png")
            tools.goto(f"{url}/cascade")          # the cascade of documents, the city plan opened by a click
            wait_for_graph(tools)
            settle(tools)
            click_node(tools, "2022-guangzhou")
            time.sleep(1.5)
            tools.screenshot(out / "cascade-open.png")
            tools.goto(f"{url}/trace?task={quote(requirement)}")
            settle(tools)
            wait_for_graph(tools)
            time.sleep(1.5)
            tools.screenshot(out / "trace.png")


PAGES = ("overview", "cascade", "worklist", "trace", "compare", "review", "units", "cypher", "documents")


def page_screenshots(out: Path, langs=("zh", "en"), width: int = 1280, height: int = 860, shrink: int = 960) -> list[Path]:
    """A picture of every page in every language (``?lang=``), for the README: small PNGs (scaled to
    ``shrink`` pixels wide, 256 colours), ``<page>-<lang>.png``."""
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(DATA, Path(tmp) / ".cascade")
        env_lang = os.environ.pop("CASCADE_LANG", None)   # the page's ?lang= decides
        try:
            with streamlit_app(store, DATA) as url, headless_chromium(width, height) as tools:
                for lang in langs:
                    for page in PAGES:
                        tools.goto(f"{url}/{'' if page == 'overview' else page}?lang={lang}")
                        settle(tools)
                        if page in ("cascade", "trace"):
                            wait_for_graph(tools)
                        time.sleep(1.5)   # let the last animation frame land before the picture
                        path = out / f"{page}-{lang}.png"
                        tools.screenshot(path)
                        with Image.open(path) as img:
                            small = img.convert("RGB").resize((shrink, round(img.height * shrink / img.width)),
                                                              Image.LANCZOS)
                            small.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)
                        made.append(path)
        finally:
            if env_lang is not None:
                os.environ["CASCADE_LANG"] = env_lang
    return made


def test_every_page_in_both_languages_in_a_real_browser(chrome, tmp_path):
    """The pages as a browser shows them: Chinese by ?lang=zh (and by default), English by ?lang=en."""
    shots = page_screenshots(tmp_path, shrink=640)
    assert len(shots) == 2 * len(PAGES) and all(p.read_bytes().startswith(b"\x89PNG") for p in shots)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
    if "--pages" in sys.argv:
        print("\n".join(str(p) for p in page_screenshots(target)))
    else:
        screenshots(target)
