"""Only this notebook present (issue 13, item 10): the kernels that nbval starts do not see the checkout.

``conftest.py`` installs ``helpers`` as a normal package (a wheel, not editable) into a temporary folder and
starts every notebook kernel in a new, empty folder with only that install on ``PYTHONPATH``, the way a learner
runs a notebook in Colab or after downloading it alone. Each nbval kernel is probed before its notebook's first
cell; this test starts one kernel exactly as nbval does and asks it directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

nbval_kernel = pytest.importorskip("nbval.kernel")

ROOT = Path(__file__).resolve().parents[1]

ASK = """\
import json, os, importlib.metadata as md
import helpers, helpers.exercises
dist = md.distribution("ann-crux")
direct = dist.read_text("direct_url.json")
print(json.dumps({
    "helpers": helpers.__file__,
    "cwd": os.getcwd(),
    "files": sorted(os.listdir()),
    "dist": str(dist.locate_file("")),
    "editable": bool(direct and json.loads(direct).get("dir_info", {}).get("editable")),
    "exercises": helpers.exercises.__file__,
}))
"""


def run(kc, code: str, timeout: float = 60) -> str:
    msg_id = kc.execute(code, store_history=False)
    text, error = [], None
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content["name"] == "stdout":
            text.append(content["text"])
        elif kind == "error":
            error = f"{content['ename']}: {content['evalue']}"
        elif kind == "status" and content["execution_state"] == "idle":
            break
    assert error is None, error
    return "".join(text)


def test_notebook_kernel_imports_the_installed_copy_in_an_empty_folder(notebook_kernel):
    kernel = nbval_kernel.RunningKernel(nbval_kernel.CURRENT_ENV_KERNEL_NAME, cwd=str(ROOT / "notebooks"))
    try:
        found = json.loads(run(kernel.kc, ASK))
    finally:
        kernel.stop()
    site = Path(found["dist"]).resolve()
    assert site == notebook_kernel["site"].resolve(), found
    helpers_file = Path(found["helpers"]).resolve()
    assert site in helpers_file.parents, found
    assert ROOT not in helpers_file.parents, f"the kernel imported helpers from the checkout: {found}"
    assert site in Path(found["exercises"]).resolve().parents, f"subpackage helpers.exercises not installed: {found}"
    assert not found["editable"], f"helpers is installed editable: {found}"
    assert found["files"] == [], f"the kernel's working folder is not empty: {found}"
    assert Path(found["cwd"]).resolve() != (ROOT / "notebooks").resolve(), found
