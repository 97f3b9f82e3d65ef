"""The package as a user gets it: build the wheel, install it (not editable) into a fresh venv, use it.

Offline by construction: the wheel is built with ``--no-build-isolation --no-index`` by the
setuptools of the project's venv (pinned in requirements.txt), and installed with
``--no-deps --no-index``. The fresh venv gets its dependencies (numpy, scipy, ...) from the
project venv's site-packages through a ``.pth`` line; that line adds the directory only, so
the project's editable-install hook (a ``.pth`` file inside it) is not run and the source
tree is never importable: the example runs with ``python -I`` from a temporary directory,
and the test asserts that ``synthlib.__file__`` lies inside the fresh venv.
"""
from __future__ import annotations

import doctest
import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest

import synthlib

ROOT = Path(__file__).resolve().parents[1]

# Run inside the fresh venv: import, a doctest-sized computation, a figure, the metadata.
EXAMPLE = r"""
import json, sys
from importlib.metadata import metadata
import synthlib
light = "matplotlib" not in sys.modules
from synthlib.rmt import theory_toy
r = theory_toy(500, 1000, 1000, 1000, 0.7, 0.1, 0.0, 1.0, 1.0)
fig, ax = synthlib.new_figure()
synthlib.plot_theory_vs_simulation(ax, [0.0, 1.0], [0.5, 0.7], [0.5], [0.6], [0.01], chance=0.5)
meta = metadata("synthlib")
print(json.dumps({"file": synthlib.__file__, "version": synthlib.__version__, "light_import": light,
                  "accuracy": float(r.accuracy), "mean": float(r.mean), "lines": len(ax.lines),
                  "meta_version": meta["Version"], "requires_python": meta["Requires-Python"],
                  "license": meta["License-Expression"], "requires": meta.get_all("Requires-Dist"),
                  "readme_head": meta.get_payload().splitlines()[0]}))
"""


def _run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _copy_source(dest: Path) -> Path:
    """The files a source distribution holds, so the build never writes into the working tree."""
    dest.mkdir()
    for name in ("pyproject.toml", "LICENSE"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "synthlib", dest / "synthlib", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def test_import_synthlib_is_light():
    """``import synthlib`` (and each Part) loads neither matplotlib nor pyplot: figures load it on first use."""
    code = ("import sys, synthlib, synthlib.rmt, synthlib.imbalance; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')); "
            "synthlib.new_figure(); print('matplotlib.pyplot' in sys.modules)")
    proc = _run([sys.executable, "-c", code], cwd=ROOT, env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"})
    assert proc.stdout.split() == ["[]", "True"], proc.stdout


def test_library_readme_example_runs():
    """The ``>>>`` example of synthlib/README.md (the wheel's long description) is a doctest."""
    text = (ROOT / "synthlib" / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    examples = [b for b in blocks if ">>>" in b]
    assert examples, "synthlib/README.md lost its example"
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for i, block in enumerate(examples):
        runner.run(parser.get_doctest(block, {}, f"synthlib/README.md[{i}]", "synthlib/README.md", 0))
    assert runner.summarize(verbose=False).failed == 0


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = _copy_source(tmp / "src")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "--quiet", "--wheel-dir", str(tmp / "dist"), str(src)], cwd=tmp)
    (built,) = (tmp / "dist").glob("synthlib-*.whl")
    return built


@pytest.mark.packaging
def test_wheel_name_carries_the_one_version(wheel):
    assert wheel.name == f"synthlib-{synthlib.__version__}-py3-none-any.whl"
    cff = (ROOT / "CITATION.cff").read_text()
    assert f"\nversion: {synthlib.__version__}\n" in cff, "CITATION.cff states another version"


@pytest.mark.packaging
def test_wheel_installs_into_a_fresh_venv_and_runs(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # dependencies only: the project venv's site-packages as a plain path entry (its .pth files do not run)
    (purelib / "_project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
          "--quiet", str(wheel)])

    work = tmp_path / "elsewhere"
    work.mkdir()
    proc = _run([python, "-I", "-c", EXAMPLE], cwd=work, env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"})
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    print(json.dumps(out, indent=1))

    installed = Path(out["file"]).resolve()
    assert installed.is_relative_to(env_dir.resolve()), f"synthlib imported from {installed}, not the fresh venv"
    assert not installed.is_relative_to(ROOT.resolve())
    assert out["version"] == out["meta_version"] == synthlib.__version__
    assert out["light_import"], "import synthlib imported matplotlib"
    # the same numbers as the source tree (the docstring of theory_toy shows 0.7101)
    from synthlib.rmt import theory_toy

    expected = theory_toy(500, 1000, 1000, 1000, 0.7, 0.1, 0.0, 1.0, 1.0)
    assert (out["accuracy"], out["mean"]) == (float(expected.accuracy), float(expected.mean))
    assert round(out["accuracy"], 4) == 0.7101
    assert out["lines"] >= 3  # theory, points, chance line

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert out["requires_python"] == project["requires-python"]
    assert out["license"] == "MIT"
    runtime = [r for r in out["requires"] if "extra ==" not in r]
    assert sorted(runtime) == sorted(project["dependencies"])
    extras = {r.split("extra ==")[1].strip().strip('"') for r in out["requires"] if "extra ==" in r}
    assert extras == {"test", "book"}
    assert out["readme_head"] == (ROOT / "synthlib" / "README.md").read_text().splitlines()[0]


def _pins(text: str) -> dict:
    return dict(re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", text, flags=re.M))


def test_tool_pins_agree():
    """ruff and pylint: one version in requirements.txt, the pre-commit hooks and the [test] extra."""
    pinned = _pins((ROOT / "requirements.txt").read_text())
    hooks = dict(re.findall(r'"(ruff|pylint)==([^"]+)"', (ROOT / ".pre-commit-config.yaml").read_text()))
    extra = _pins("\n".join(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
                            ["optional-dependencies"]["test"]))
    for tool in ("ruff", "pylint"):
        assert pinned[tool] == hooks[tool] == extra[tool], tool
