"""Run Python code in a fresh interpreter, for what a test must see from outside."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["run_python"]


def run_python(
    code: str, *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> str:
    """Run `code` with ``python -c``, assert it succeeds, return its standard output.

    `env` is added to this process's environment; the run may take two minutes.
    """
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
