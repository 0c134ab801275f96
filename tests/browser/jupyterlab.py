"""Drive JupyterLab in headless Chromium as a reader would: start a server, open a notebook, run it, read the page.

Every wait is on a condition (the kernel's status, JupyterLab's own "run all" promise, the DOM), never a sleep.
The server runs with ``expose_app_in_browser`` so that the test can read the kernel's status and the cells' outputs
from JupyterLab's models; what a reader does (run all, move a slider with the keyboard) goes through the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# As root Chromium needs --no-sandbox; the rest keep it from calling out to the network (closed here) at start.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
JUPYTER = Path(sys.executable).parent / "jupyter"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

# JupyterLab user settings for the test server: no news pop-up or update check (no network here), no autosave
# (the server's copies must stay as committed while the test opens them again).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


# ---------------------------------------------------------------------------------------------------------------
# The committed notebook: what a run in JupyterLab has to reproduce
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Expected:
    """What the committed notebook shows, counted from the file."""

    code_cells: int
    figures: int  # image/png outputs
    widget_views: int
    sliders: int  # slider widgets inside the displayed widgets
    saved_image: bytes | None  # the PNG of the first displayed Image widget, from the saved widget state


def _widget_state(nb: nbformat.NotebookNode) -> dict[str, Any]:
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def _displayed_models(nb: nbformat.NotebookNode) -> list[str]:
    return [
        out.data[WIDGET_VIEW]["model_id"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if WIDGET_VIEW in out.get("data", {})
    ]


def _descendants(state: dict[str, Any], model_id: str) -> list[str]:
    """The model and every model its ``children`` name, depth first."""
    found = [model_id]
    for child in state.get(model_id, {}).get("state", {}).get("children", []):
        found += _descendants(state, child.removeprefix("IPY_MODEL_"))
    return found


def expected(path: Path) -> Expected:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    figures = sum("image/png" in out.get("data", {}) for c in code for out in c.outputs)
    state, shown = _widget_state(nb), _displayed_models(nb)
    models = [m for view in shown for m in _descendants(state, view)]
    names = [state.get(m, {}).get("model_name", "") for m in models]
    sliders = sum(name.endswith("SliderModel") for name in names)
    saved_image = None
    for model_id, name in zip(models, names, strict=True):
        if name == "ImageModel":
            buffers = {tuple(b["path"]): b for b in state[model_id].get("buffers", [])}
            if ("value",) in buffers:
                saved_image = base64.b64decode(buffers[("value",)]["data"])
                break
    return Expected(len(code), figures, len(shown), sliders, saved_image)


# ---------------------------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    """A JupyterLab server on localhost serving ``root``, with its own settings, data and workspaces."""

    root: Path
    state_dir: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # the kernel must use the inline backend, as for a reader
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
            env[name] = str(self.state_dir / name.lower())
        return env

    @property
    def log_path(self) -> Path:
        return self.state_dir / "jupyterlab.log"

    def log_tail(self, n: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def start(self, timeout: float = 90.0) -> LabServer:
        settings = self.state_dir / "settings"
        for name, values in LAB_SETTINGS.items():
            target = settings / f"{name}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        command = [
            str(JUPYTER),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={self.state_dir / 'workspaces'}",
            "--LabApp.expose_app_in_browser=True",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return self
            except OSError:
                if time.monotonic() > deadline:
                    message = f"JupyterLab did not answer within {timeout:.0f} s:\n{self.log_tail()}"
                    raise RuntimeError(message) from None
                time.sleep(0.2)  # polling a server that is still starting, not synchronising with it

    def api(self, method: str, path: str) -> Any:
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_sessions(self) -> None:
        """Stop every kernel, so that the next notebook starts in a fresh one."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def trust(self, paths: list[Path]) -> None:
        """What `make lab` does before starting JupyterLab: sign the notebooks, so saved widgets are drawn."""
        subprocess.run(
            [str(JUPYTER), "trust", *map(str, paths)], env=self.env, check=True, capture_output=True, text=True
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---------------------------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------------------------

# The notebook `path` is open, its kernel idle and its cells in the DOM.
READY = """(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.context || w.context.path !== path || !w.context.isReady || !w.content.model) return false;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  return Boolean(kernel && kernel.status === 'idle' && w.content.widgets.length === w.content.model.cells.length);
}"""

# Every code cell and its outputs, from JupyterLab's model: what the page shows.
CELLS = """() => {
  const model = window.jupyterapp.shell.currentWidget.content.model;
  const cells = [];
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    if (cell.type !== 'code') continue;
    const outputs = cell.outputs.toJSON().map(o => ({
      type: o.output_type, mimes: Object.keys(o.data || {}), name: o.name || '', text: o.text || '',
      error: o.output_type === 'error' ? o.ename + ': ' + o.evalue : ''}));
    cells.push({index: i, source: cell.sharedModel.getSource(), tags: cell.getMetadata('tags') || [],
                count: cell.executionCount, outputs});
  }
  return cells;
}"""

RUN_ALL = """() => {
  window.__runAll = {done: false};
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    ok => { window.__runAll = {done: true, ok}; },
    error => { window.__runAll = {done: true, ok: false, error: String(error)}; });
}"""

# Run All is over: JupyterLab has resolved it, the kernel is idle, no cell waits, and every non-empty code cell has
# run - or one raised without the tag "raises-exception", after which the kernel skips the rest. (JupyterLab resolves
# "run all" and clears the waiting marks at the first error even when the kernel goes on, hence the counts.)
RUN_ALL_DONE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!window.__runAll.done || !kernel || kernel.status !== 'idle') return false;
  if ([...w.node.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))) return false;
  const cells = w.content.model.cells;
  let pending = false;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code' || !cell.sharedModel.getSource().trim()) continue;
    const raised = cell.outputs.toJSON().some(o => o.output_type === 'error');
    if (raised && !(cell.getMetadata('tags') || []).includes('raises-exception')) return true;
    if (cell.executionCount === null) pending = true;
  }
  return !pending;
}"""

# Every image in the outputs has loaded (or failed: then naturalWidth stays 0 and the check says so).
IMAGES_SETTLED = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output img')]
  .every(img => img.complete)"""

IMAGES = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output img')].map(img => ({
  widget: Boolean(img.closest('.jupyter-widgets')), width: img.naturalWidth, height: img.naturalHeight,
  complete: img.complete}))"""

# The one Image widget that shares a box with this slider (rnn_helpers.widgets.frame_slider puts them in one VBox).
PARTNER = """(node) => {
  for (let box = node.parentElement; box && !box.classList.contains('jp-OutputArea-output'); box = box.parentElement) {
    const images = box.querySelectorAll('img.widget-image');
    if (images.length === 1) return images[0];
    if (images.length > 1) return null;
  }
  return null;
}"""

SHA256 = """async (img) => {
  const bytes = await (await fetch(img.src)).arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');
}"""

# Times from the key press on the slider handle to the Image widget's new src, and to the new image decoded.
ARM_PROBE = """(handle) => {
  const img = (PARTNER)(handle);
  const probe = {t0: null, swapped: null, decoded: null, src: img.src};
  handle.addEventListener('keydown', () => { probe.t0 = performance.now(); }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (img.src === probe.src || probe.swapped !== null) return;
    probe.swapped = performance.now();
    observer.disconnect();
    img.decode().then(() => { probe.decoded = performance.now(); }, () => { probe.decoded = -1; });
  });
  observer.observe(img, {attributes: true, attributeFilter: ['src']});
  window.__probe = probe;
}""".replace("PARTNER", PARTNER)


def open_notebook(page: Any, server: LabServer, relpath: str, workspace: str, timeout_ms: float = 120_000) -> float:
    """Open ``relpath`` in a fresh workspace and wait for its kernel to be idle; return the seconds it took."""
    start = time.perf_counter()
    page.goto(f"{server.url}/lab/workspaces/{workspace}/tree/{relpath}?token={server.token}")
    page.wait_for_function(READY, arg=relpath, timeout=timeout_ms, polling=100)
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    return time.perf_counter() - start


def clear_and_run_all(page: Any, timeout_ms: float = 180_000) -> float:
    """Clear every output, then Run All Cells; wait until JupyterLab says it is done and the kernel is idle."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.wait_for_function(
        "() => document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output').length === 0", timeout=10_000
    )
    start = time.perf_counter()
    page.evaluate(RUN_ALL)
    page.wait_for_function(RUN_ALL_DONE, timeout=timeout_ms, polling=100)
    page.wait_for_function(IMAGES_SETTLED, timeout=30_000)
    return time.perf_counter() - start


def cells(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(CELLS)


def images(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(IMAGES)


def slider_handles(page: Any) -> Any:
    return page.locator(".jp-NotebookPanel .jp-OutputArea-output .widget-slider .noUi-handle")


def partner_image(handle: Any) -> Any:
    """The Image widget beside this slider handle, as an element handle (None if there is not exactly one)."""
    return handle.evaluate_handle(PARTNER).as_element()


def image_digest(image: Any) -> str:
    return image.evaluate(SHA256)


def move_slider(page: Any, handle: Any, key: str, timeout_ms: float = 5_000) -> dict[str, float]:
    """Press ``key`` on the focused slider handle; wait for its Image to change; return the times in ms."""
    handle.evaluate(ARM_PROBE)
    handle.focus()
    page.keyboard.press(key)
    try:
        page.wait_for_function("() => window.__probe.decoded !== null", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise AssertionError(f"the slider's figure did not change within {timeout_ms / 1000:.0f} s of {key}") from None
    probe = page.evaluate("() => window.__probe")
    assert probe["t0"] is not None, f"{key} did not reach the slider handle"
    assert probe["decoded"] >= 0, "the slider's new figure could not be decoded"
    return {"swapped_ms": probe["swapped"] - probe["t0"], "decoded_ms": probe["decoded"] - probe["t0"]}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
