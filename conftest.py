"""pytest configuration shared by the unit tests and by nbval's notebook tests.

nbval compares every stream a checked cell printed, stderr included. TensorFlow and Python warnings write to
stderr in ways that depend on the machine (CPU features, library versions), so the comparison here keeps
stdout, results and displays and leaves stderr out (DESIGN.md, "Tests and stored outputs").

Only this notebook present (issue 13, item 10): nbval's kernels run each notebook as a learner in Colab or with a
downloaded notebook would, not inside this checkout. Before the first kernel starts, ``helpers`` is installed as
a normal package (a built wheel, not editable) into a temporary folder, and every kernel starts in a new, empty
temporary folder with that install first on its ``PYTHONPATH``. A cell that reads a repository file by a
relative path (``../data/...``), or a ``helpers`` module the package does not ship, then fails the notebook's
test. Each kernel is asked, before the notebook's first cell, where ``helpers`` comes from and what its working
folder holds, and the notebook fails at once if the isolation did not take (``tests/test_isolated_kernel.py``
proves the same on one kernel with ``import helpers``). ``tools/notebooks.py refresh`` is not affected: it runs
notebooks in ``notebooks/`` as before.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent

# Headless plotting for the unit tests; nbval's kernels use the inline backend.
os.environ.setdefault("MPLBACKEND", "Agg")
# The same quiet, CPU-independent TensorFlow in the kernels nbval starts (they inherit this environment).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# The stored outputs of notebook 08 come from the synthetic replica: test against it even where a user has put
# the real Churn_Modelling.csv in data/ or pointed CHURN_DATA at it (helpers.churn_data.load_churn).
os.environ["CHURN_DATA"] = "replica"


def _without_stderr(outputs):
    return [o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


try:
    import nbval.kernel
    from nbval.plugin import IPyNbCell
except ImportError:  # nbval missing: the notebook tests cannot run, the unit tests still can
    IPyNbCell = None

if IPyNbCell is not None and not getattr(IPyNbCell.compare_outputs, "_ignores_stderr", False):
    _original_compare = IPyNbCell.compare_outputs

    def compare_outputs(self, test, ref, skip_compare=None):
        return _original_compare(self, _without_stderr(test), _without_stderr(ref), skip_compare)

    compare_outputs._ignores_stderr = True
    IPyNbCell.compare_outputs = compare_outputs


# ---------------------------------------------------------------------------------------------------------
# Only this notebook present: helpers installed as a normal package, an empty working folder
# ---------------------------------------------------------------------------------------------------------
# What the build of the wheel reads (pyproject.toml's readme, the package). The sources are copied into the
# temporary folder first, so that the build leaves no build/ or *.egg-info in the checkout, and a stale
# build/lib (setuptools reuses it) can never put a deleted module into the installed copy.
_BUILD_INPUTS = ["pyproject.toml", "README.md", "helpers"]
_STATE: dict = {}


def _setuptools_reads_our_pyproject() -> bool:
    """True if this environment's setuptools can build the package without an isolated build environment
    (pyproject.toml's string-form ``license`` needs setuptools 77 or later)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return int(version("setuptools").split(".")[0]) >= 77
    except (PackageNotFoundError, ValueError):
        return False


def isolated_root() -> Path:
    """The session's temporary folder: ``site/`` (the installed package) and one empty folder per kernel."""
    if "root" not in _STATE:
        _STATE["root"] = Path(tempfile.mkdtemp(prefix="ann-crux-only-this-notebook-"))
    return _STATE["root"]


def _install() -> Path:
    """Build ``helpers`` from a copy of this checkout's sources and install it, not editable, into
    ``site/`` of the session's temporary folder (``pip install --no-deps --target``)."""
    root = isolated_root()
    source, site = root / "source", root / "site"
    source.mkdir()
    for name in _BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-input", "--quiet",
               "--disable-pip-version-check", "--target", str(site)]
    if _setuptools_reads_our_pyproject():
        command.append("--no-build-isolation")  # offline and fast: this environment's setuptools builds it
    done = subprocess.run([*command, str(source)], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (site / "helpers" / "__init__.py").is_file():
        raise RuntimeError(
            "could not install helpers as a normal package for the notebook tests "
            f"({' '.join(command)} {source}):\n{done.stdout}\n{done.stderr}")
    return site


def _install_in_background() -> None:
    """Start the install while the unit tests run, so that the first notebook rarely waits for it."""
    if "site" in _STATE or "thread" in _STATE:
        return

    def work():
        try:
            _STATE["site"] = _install()
        except Exception as exc:  # re-raised by isolated_site(), in the test that needs the install
            _STATE["error"] = exc

    _STATE["thread"] = threading.Thread(target=work, name="install-helpers", daemon=True)
    _STATE["thread"].start()


def isolated_site() -> Path:
    """The folder holding ``helpers`` installed as a normal package; installed once per session."""
    if "site" not in _STATE:
        _install_in_background()
        _STATE["thread"].join()
        if "error" in _STATE:
            raise _STATE["error"]
    return _STATE["site"]


def kernel_environment() -> dict:
    """The environment of a notebook kernel: this one, with only the installed copy on ``PYTHONPATH``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(isolated_site())  # not the checkout: `import helpers` finds the installed copy
    return env


def empty_folder() -> Path:
    """A new, empty working folder for one kernel (as a fresh Colab session has no checkout)."""
    return Path(tempfile.mkdtemp(prefix="kernel-", dir=isolated_root()))


_PROBE = {
    "helpers": "__import__('importlib.util').util.find_spec('helpers').origin",
    "cwd": "__import__('os').getcwd()",
    "files": "sorted(__import__('os').listdir())",
}


def probe_kernel(client, timeout: float = 60) -> dict:
    """Ask a running kernel where ``helpers`` would be imported from and what its working folder holds, without
    importing anything or leaving a name behind (a silent request whose user expressions carry the answers)."""
    msg_id = client.execute("", silent=True, store_history=False, user_expressions=_PROBE)
    while True:
        reply = client.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    found = {}
    for key, value in reply["content"].get("user_expressions", {}).items():
        if value.get("status") != "ok":
            raise RuntimeError(f"the kernel could not answer {key}: {value.get('ename')}: {value.get('evalue')}")
        found[key] = ast.literal_eval(value["data"]["text/plain"])
    return found


def check_isolation(found: dict, site: Path, folder: Path) -> None:
    """Raise unless the kernel imports ``helpers`` from the installed copy and runs in the empty ``folder``."""
    problems = []
    origin = Path(found["helpers"] or "")
    if site.resolve() not in origin.resolve().parents:
        problems.append(f"helpers would be imported from {found['helpers']}, not from the installed copy in {site}")
    if Path(found["cwd"]).resolve() != folder.resolve():
        problems.append(f"the working folder is {found['cwd']}, not the empty folder {folder}")
    if found["files"]:
        problems.append(f"the working folder is not empty: {found['files']}")
    if problems:
        raise RuntimeError("the notebook kernel is not isolated from the checkout: " + "; ".join(problems))


if IPyNbCell is not None and not getattr(nbval.kernel.start_new_kernel, "_isolated", False):
    _original_start_new_kernel = nbval.kernel.start_new_kernel

    def start_new_kernel(startup_timeout=60, kernel_name="python", **kwargs):
        """nbval's kernel start (``RunningKernel.__init__`` calls it), in an empty folder with the installed
        ``helpers``: nbval itself would start it in the notebook's folder of this checkout."""
        folder = empty_folder()
        kwargs.update(cwd=str(folder), env=kernel_environment())
        km, kc = _original_start_new_kernel(startup_timeout=startup_timeout, kernel_name=kernel_name, **kwargs)
        try:
            check_isolation(probe_kernel(kc, timeout=startup_timeout), isolated_site(), folder)
        except Exception:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            raise
        return km, kc

    start_new_kernel._isolated = True
    nbval.kernel.start_new_kernel = start_new_kernel


@pytest.fixture(scope="session")
def notebook_kernel():
    """How nbval starts a notebook's kernel here: ``{"env": ..., "folder": callable, "site": Path}``, for tests
    that start a kernel of their own the same way (tests/test_isolated_kernel.py, tests/test_student_edition.py)."""
    return {"env": kernel_environment(), "folder": empty_folder, "site": isolated_site()}


def pytest_collection_finish(session):
    if any(item.path.suffix == ".ipynb" or "notebook_kernel" in getattr(item, "fixturenames", ())
           for item in session.items):
        _install_in_background()


def pytest_unconfigure(config):
    thread = _STATE.get("thread")
    if thread is not None:
        thread.join()
    root = _STATE.pop("root", None)
    if root is not None:
        shutil.rmtree(root, ignore_errors=True)
