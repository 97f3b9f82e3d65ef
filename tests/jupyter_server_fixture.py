"""A local Jupyter server (or JupyterLab) for the tests: 127.0.0.1, a random token, stopped afterwards.

Reusable by any test that needs a live kernel behind a page (the JupyterLab test, the Live
Code test)::

    from jupyter_server_fixture import jupyter_server_factory_fixture  # noqa: F401  (the fixture)

    def test_something(jupyter_server_factory, tmp_path):
        server = jupyter_server_factory(tmp_path / "root", lab=True)
        ...  # server.url, server.token, server.root_dir, server.url_for("lab/tree/x.ipynb")

or, outside a fixture, ``with start_jupyter_server(root) as server: ...``.

The server runs the Jupyter of the interpreter that runs the tests (the project's venv, the
pinned ``jupyter-server``/``jupyterlab``) with the venv's ``python3`` kernel
(scripts/install_kernel.py). It is hermetic: its configuration, data, runtime, settings and
workspace directories are temporary, so neither the user's ``~/.jupyter`` nor an earlier run
changes what it does, and JupyterLab's news and update checks (the only requests it would
make to another host) are off. ``SYNTHLIB_EXPLORER_MODE`` and ``MPLBACKEND`` are removed from
its environment: its kernels render explorers live and figures inline, as a reader's kernel does. It is stopped through
its REST API (which shuts its kernels down), then by signal, and finally its whole process
group (it is started in a session of its own, so that group is only the server and its
kernels) is killed.
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import skip_or_fail

#: settings overrides of every JupyterLab the tests start: no request to another host (news,
#: update check), and every cell attached to the page (no windowing), so that what a test
#: looks for is in the DOM whether or not it is scrolled into view
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


@dataclass
class JupyterServer:
    """A running server: where it listens, its token, what it serves, its log."""

    url: str
    token: str
    root_dir: Path
    process: subprocess.Popen
    log_path: Path
    lab: bool
    _home: Path = field(repr=False, default=None)

    def url_for(self, path: str = "", **query) -> str:
        """``url/path?token=...`` (the token lets a browser in without a login page)."""
        query = {"token": self.token, **query}
        qs = "&".join(f"{k}={v}" for k, v in query.items())
        return f"{self.url}/{path.lstrip('/')}?{qs}"

    def api(self, path: str, method: str = "GET", timeout: float = 10):
        """Call the REST API; returns the decoded JSON (or None for an empty body)."""
        req = urllib.request.Request(f"{self.url}/api/{path.lstrip('/')}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout: float = 20) -> None:
        """Shut down (kernels first), then signal, then kill the process group."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError, urllib.error.URLError):
                self.api("shutdown", method="POST", timeout=5)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
        # kernels that outlived the server are in its process group (its own session)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self._home is not None:
            shutil.rmtree(self._home, ignore_errors=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jupyter_command(lab: bool) -> list[str]:
    """``<venv>/bin/jupyter lab`` (the documented command) or ``jupyter server``."""
    module = "jupyterlab" if lab else "jupyter_server"
    try:
        __import__(module)
    except ImportError:
        skip_or_fail(f"{module} is not installed (pip install -r requirements.txt)")
    exe = Path(sys.prefix) / "bin" / "jupyter"
    sub = "lab" if lab else "server"
    return [str(exe), sub] if exe.exists() else [sys.executable, "-m", module]


def start(root_dir: Path, *, lab: bool = False, extra_args=(), env: dict | None = None,
          timeout: float = 90) -> JupyterServer:
    """Start a server serving ``root_dir`` and wait until its API answers."""
    root_dir = Path(root_dir)
    root_dir.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="jupyter-test-"))
    dirs = {name: home / name for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")}
    for d in dirs.values():
        d.mkdir()
    (dirs["config"] / "labconfig").mkdir()
    (dirs["config"] / "labconfig" / "default_setting_overrides.json").write_text(json.dumps(LAB_OVERRIDES))
    token = secrets.token_hex(24)
    port = free_port()
    child_env = {k: v for k, v in os.environ.items()
                 if k not in ("SYNTHLIB_EXPLORER_MODE", "MPLBACKEND") and not k.startswith(("JUPYTER", "JPY_"))}
    child_env.update(JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
                     JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
                     JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]), IPYTHONDIR=str(dirs["ipython"]))
    child_env.update(env or {})
    args = [*jupyter_command(lab), "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root_dir}"]
    if lab:
        # no news feed, no update check, no PyPI-backed extension manager: nothing leaves 127.0.0.1
        args += ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                 "--LabApp.extension_manager=readonly"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:   # CI containers run as root
        args.append("--allow-root")
    args += list(extra_args)
    log_path = home / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=child_env, cwd=root_dir, start_new_session=True)
    server = JupyterServer(url=f"http://127.0.0.1:{port}", token=token, root_dir=root_dir, process=process,
                           log_path=log_path, lab=lab, _home=home)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            log_text = server.log()
            server.stop()
            pytest.fail(f"the Jupyter server exited with code {process.returncode} before answering:\n"
                        f"{' '.join(args)}\n{log_text[-3000:]}", pytrace=False)
        try:
            server.api("status", timeout=2)
            return server
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            log_text = server.log()
            server.stop()
            pytest.fail(f"the Jupyter server did not answer within {timeout:.0f} s:\n{log_text[-3000:]}",
                        pytrace=False)
        time.sleep(0.25)


@contextlib.contextmanager
def start_jupyter_server(root_dir: Path, **kwargs):
    """Context manager around :func:`start`: the server is stopped on exit."""
    server = start(root_dir, **kwargs)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="jupyter_server_factory")
def jupyter_server_factory_fixture():
    """``factory(root_dir, lab=False, extra_args=(), env=None)`` starts a server; all are stopped at teardown.

    For a page on another origin that talks to the kernel (Live Code), pass e.g.
    ``extra_args=["--ServerApp.allow_origin=http://127.0.0.1:8000"]``.
    """
    servers: list[JupyterServer] = []

    def factory(root_dir, **kwargs) -> JupyterServer:
        server = start(root_dir, **kwargs)
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


@pytest.fixture(name="jupyter_server")
def jupyter_server_fixture(jupyter_server_factory, tmp_path):
    """A plain Jupyter server (no JupyterLab front end) serving ``tmp_path / "root"``."""
    return jupyter_server_factory(tmp_path / "root")
