"""Install the `python3` Jupyter kernel of this virtual environment.

The notebook executor talks to the kernel over loopback TCP, and ipykernel 7 logs a
warning about unencrypted transport at every start. On a build machine that line is pure
noise in an otherwise warning-free build log, so the kernel's own log level is raised to
ERROR. Cell output, including Python warnings raised by chapter code, is unaffected: it
travels as cell output, not through the kernel's log.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ipykernel.kernelspec import install


def main() -> int:
    dest = Path(install(prefix=sys.prefix, kernel_name="python3", display_name="Python 3"))
    spec_path = dest / "kernel.json"
    spec = json.loads(spec_path.read_text())
    flag = "--IPKernelApp.log_level=ERROR"
    if flag not in spec["argv"]:
        spec["argv"].append(flag)
    spec_path.write_text(json.dumps(spec, indent=1))
    print(f"installed kernel python3 at {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
