"""Load the project's own Python files that are not in a package.

Hooks (``hooks/*.py``) and scripts (``scripts/*.py``) are loaded by path.
Several test modules load the same file; each name is loaded once and then
shared, so that a module's functions keep one ``__module__`` (doctest finds
them) and module-level state exists once.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["ROOT", "load_hook", "load_script"]

#: The project folder.
ROOT = Path(__file__).resolve().parents[1]


def load_script(path: Path, name: str) -> ModuleType:
    """Import the file at `path` as module `name`, or return it if already loaded."""
    loaded = sys.modules.get(name)
    if loaded is not None:
        if Path(getattr(loaded, "__file__", "")).resolve() != path.resolve():
            raise RuntimeError(f"module name {name!r} already names {loaded!r}")
        return loaded
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def load_hook(name: str) -> ModuleType:
    """Import ``hooks/<name>.py`` as module ``<name>_hook``, or return it."""
    return load_script(ROOT / "hooks" / f"{name}.py", f"{name}_hook")


def load_tool(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` as module ``convdemo_<name>``, or return it."""
    return load_script(ROOT / "scripts" / f"{name}.py", f"convdemo_{name}")


def load_crawl() -> ModuleType:
    """Import ``tests/site/crawl.py`` as module ``convdemo_site_crawl``, or return it.

    The site jobs' child pickles the crawl's result under this name, and the
    test process reads it back under the same one.
    """
    return load_script(ROOT / "tests" / "site" / "crawl.py", "convdemo_site_crawl")
