"""Shared fixtures: the bundled landscape, a real Neo4j server, a real headless Chromium.

At the repository root so that the docstring examples under claimgraph/ (collected with
``--doctest-modules``) use the same server as tests/: the examples in
claimgraph/neo4j/ run against it, with ``NEO4J_URI`` and friends set.

Neo4j: ``NEO4J_URI`` (with ``NEO4J_USERNAME``/``NEO4J_PASSWORD``) when set, else a local server
started once per test session from the Maven Central jars (scripts/neo4j-local). Chromium: the
Debian package at /usr/bin/chromium, driven by Playwright. Neither is ever skipped under CI; away
from CI, ``CLAIMGRAPH_SKIP_NEO4J=1`` / ``CLAIMGRAPH_SKIP_BROWSER=1`` skip them explicitly.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

# the local Neo4j launcher is a development tool, not part of the package
sys.path.insert(0, str(Path(__file__).resolve().parent / "scripts" / "neo4j-local"))

from claimgraph import load

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--no-first-run", "--disable-quic", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(autouse=True)
def _own_dataset_cache(tmp_path_factory, monkeypatch):
    """Commands run by the tests (in process or as children) use a validated cache of the
    test session's own, never the user's (~/.cache/claimgraph)."""
    monkeypatch.setenv("CLAIMGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "claimgraph-cache"))


@pytest.fixture(scope="session")
def bundled():
    """The bundled ai-chips landscape (loaded once; treat as read-only)."""
    return load()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """A folder for screenshots and other outputs the tests produce (not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _skip_or_fail(kind: str, reason: str):
    if not IN_CI and os.environ.get(f"CLAIMGRAPH_SKIP_{kind}") == "1":
        pytest.skip(reason)
    pytest.fail(reason)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A real Neo4j server over Bolt: ``.uri``, ``.auth`` ((user, password) or None), ``.driver()``."""
    if os.environ.get("NEO4J_URI"):
        from types import SimpleNamespace

        import neo4j

        user = os.environ.get("NEO4J_USERNAME", "neo4j")
        pw = os.environ.get("NEO4J_PASSWORD")
        info = SimpleNamespace(uri=os.environ["NEO4J_URI"], user=user, password=pw,
                               auth=(user, pw) if pw else None)
        info.driver = lambda **kw: neo4j.GraphDatabase.driver(info.uri, auth=info.auth, **kw)
        yield info
        return
    import neo4j_local

    home = tmp_path_factory.mktemp("neo4j-home")
    try:
        info = neo4j_local.start(home=home, password="claimgraph-test", die_with_parent=True)
    except Exception as exc:  # noqa: BLE001 - reported as a failure (never silently skipped in CI)
        _skip_or_fail("NEO4J", f"could not start a local Neo4j server: {exc}")
    try:
        yield info
    finally:
        neo4j_local.stop(info)


@pytest.fixture
def neo4j_env(neo4j_server, monkeypatch):
    """Environment variables pointing the CLI at the test server."""
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USERNAME", getattr(neo4j_server, "user", None) or "neo4j")
    if neo4j_server.password:
        monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    return neo4j_server


@pytest.fixture
def clean_neo4j(neo4j_server):
    """The test server with its default database emptied before the test."""
    with neo4j_server.driver() as driver, driver.session() as session:
        # CALL ... IN TRANSACTIONS needs an auto-commit transaction (session.run), not execute_query
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    return neo4j_server


#: the docstring examples that talk to Neo4j: everything under claimgraph/neo4j/, the api
#: functions behind ``claimgraph neo4j ...``, and the Neo4j side of each canned query
NEO4J_DOCTESTS = re.compile(
    r"claimgraph/neo4j/"
    r"|claimgraph/api\.py::claimgraph\.api\.(push|pull|cypher)$"
    r"|claimgraph/queries/[a-z_]+\.py::claimgraph\.queries\.([a-z_]+\.neo4j|run_cypher)$"
)


def _needs_neo4j(item) -> bool:
    return isinstance(item, pytest.DoctestItem) and NEO4J_DOCTESTS.match(item.nodeid) is not None


def pytest_collection_modifyitems(items):
    for item in items:
        if _needs_neo4j(item):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(autouse=True)
def _neo4j_for_doctests(request):
    """The Neo4j docstring examples connect with ``connect()``: point it at an emptied test server."""
    if _needs_neo4j(request.node):
        request.getfixturevalue("clean_neo4j")
        request.getfixturevalue("neo4j_env")


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium under Playwright."""
    if not Path(CHROMIUM).exists():
        _skip_or_fail("BROWSER", f"Chromium not found at {CHROMIUM}: run scripts/test (it installs chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class PageProbe:
    """A page with every non-file request blocked and recorded, and console errors collected."""

    def __init__(self, page):
        self.page = page
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        page.route("**/*", self._route)
        page.on("requestfailed", lambda r: self.failed.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def page(browser):
    """A fresh page (in its own context) whose network is blocked; see :class:`PageProbe`."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    probe = PageProbe(pg)
    pg.probe = probe
    try:
        yield pg
    finally:
        context.close()
