"""The package as published: version, metadata, sdist and wheel, citation, locks.

The build test copies the project, builds an sdist and a wheel with
``python -m build --no-isolation`` (the locked setuptools, nothing fetched),
checks them with ``twine check --strict`` and imports the wheel. It takes
about half a minute, so it is marked ``slow``; ``make test`` runs it.
"""

from __future__ import annotations

import datetime
import email
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from child_python import run_python

import convdemo
from convdemo.cli import main

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = convdemo.__version__
# Left out of the copy that is built: environments, caches, build output.
IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "site",
    "generated",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "node_modules",
)
LOCKS = ("bootstrap", "docs", "all")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _pins(lock: str) -> dict[str, str]:
    """Return {normalised name: version} of requirements/<lock>.txt."""
    pins = {}
    for line in (ROOT / "requirements" / f"{lock}.txt").read_text().splitlines():
        match = _PIN.match(line)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            pins[name] = match.group(2).rstrip(" \\")
    return pins


# ------------------------------------------------------------------ version


def test_version_is_a_release_number() -> None:
    """convdemo.__version__ is X.Y.Z."""
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)


def test_version_has_one_source() -> None:
    """pyproject.toml reads the version from convdemo.__version__, not its own."""
    project = PYPROJECT["project"]
    assert "version" not in project
    assert "version" in project["dynamic"]
    dynamic = PYPROJECT["tool"]["setuptools"]["dynamic"]
    assert dynamic["version"] == {"attr": "convdemo.__version__"}


def test_version_flag_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    """main(["--version"]) prints "convdemo X.Y.Z" and returns 0."""
    assert main(["--version"]) == 0
    assert capsys.readouterr() == (f"convdemo {VERSION}\n", "")


def test_version_flag_on_the_command_line() -> None:
    """`python -m convdemo --version` prints the version and exits 0."""
    done = subprocess.run(
        [sys.executable, "-m", "convdemo", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert (done.stdout, done.stderr) == (f"convdemo {VERSION}\n", "")


def test_changelog_has_the_release() -> None:
    """CHANGELOG.md keeps an Unreleased section and one for this version."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "keepachangelog.com" in text
    headings = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.M)
    assert headings[0] == ("Unreleased", "")
    assert (VERSION, headings[1][1]) == headings[1]
    datetime.date.fromisoformat(headings[1][1])


# ----------------------------------------------------------------- metadata


def test_build_requirement_reads_spdx_licences() -> None:
    """setuptools >= 77 is required: it is the first to read `license = "..."`."""
    requires = PYPROJECT["build-system"]["requires"]
    assert requires == ["setuptools>=77"]
    assert PYPROJECT["project"]["license"] == "BSD-3-Clause"


def test_project_urls_and_classifiers() -> None:
    """The project links its site, source, issues and changelog, and is classified."""
    project = PYPROJECT["project"]
    assert set(project["urls"]) == {
        "Homepage",
        "Documentation",
        "Source",
        "Issues",
        "Changelog",
    }
    assert all(url.startswith("https://") for url in project["urls"].values())
    classifiers = project["classifiers"]
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert "Typing :: Typed" in classifiers
    # A licence classifier next to an SPDX expression is an error since
    # setuptools 77 (PEP 639).
    assert not any(c.startswith("License ::") for c in classifiers)


def test_citation_file_is_valid_cff() -> None:
    """CITATION.cff has CFF 1.2.0's required keys and agrees with the package."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert isinstance(cff["message"], str)
    assert cff["message"].strip()
    assert cff["title"] == "convdemo"
    assert cff["type"] == "software"
    assert cff["authors"]
    for author in cff["authors"]:
        assert author.get("name") or author.get("family-names"), author
    assert cff["version"] == VERSION
    assert isinstance(cff["date-released"], datetime.date)
    assert cff["license"] == PYPROJECT["project"]["license"]
    assert cff["repository-code"] == PYPROJECT["project"]["urls"]["Source"]
    assert cff["url"] == PYPROJECT["project"]["urls"]["Homepage"]
    assert cff["abstract"] == PYPROJECT["project"]["description"]


def test_citation_release_date_matches_the_changelog() -> None:
    """The citation's release date is the changelog's date for this version."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{VERSION}] - {cff['date-released'].isoformat()}" in changelog


# -------------------------------------------------------------------- locks


def _entries(lock: str) -> list[list[str]]:
    """Return the lines of each requirement in requirements/<lock>.txt."""
    entries: list[list[str]] = []
    for line in (ROOT / "requirements" / f"{lock}.txt").read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        if line[0].isspace():
            entries[-1].append(line)
        else:
            entries.append([line])
    return entries


@pytest.mark.parametrize("lock", LOCKS)
def test_every_locked_package_is_pinned_with_hashes(lock: str) -> None:
    """Each entry of a lock is `name==version` with sha256 hashes, nothing else."""
    entries = _entries(lock)
    assert entries
    for first, *rest in entries:
        assert _PIN.match(first), first
        assert any(re.search(r"--hash=sha256:[0-9a-f]{64}", line) for line in rest)


def test_locks_agree_on_versions() -> None:
    """The docs and bootstrap locks are parts of the full lock, same versions."""
    full = _pins("all")
    for lock in ("docs", "bootstrap"):
        pins = _pins(lock)
        assert {name: full.get(name) for name in pins} == pins, lock


def test_locks_hold_the_installers() -> None:
    """pip and setuptools are locked too, in every lock."""
    for lock in LOCKS:
        assert {"pip", "setuptools"} <= set(_pins(lock)), lock


def test_docs_lock_is_the_docs_stack_only() -> None:
    """`make site` installs no test or lint tool (Ruff only as a formatter).

    mkdocstrings formats the API reference's long signatures with Ruff when
    it is installed: the docs stack has it, so that `make site` and the full
    install build the same pages.
    """
    docs = _pins("docs")
    assert {"mkdocs", "mkdocs-material", "mkdocs-gallery", "numpy"} <= set(docs)
    assert {"mkdocstrings-python", "ruff"} <= set(docs)
    # SciPy is there too, as a dependency of scikit-learn (the digits of the
    # tiny CNN), not as a test oracle.
    assert "scikit-learn" in docs
    assert not {"pytest", "playwright", "hypothesis", "mypy", "pre-commit"} & set(docs)


# -------------------------------------------------------------- sdist/wheel


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sdist and the wheel from a copy of the project."""
    source = tmp_path_factory.mktemp("source") / "convdemo"
    shutil.copytree(ROOT, source, ignore=IGNORE)
    out = tmp_path_factory.mktemp("dist")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out)],
        cwd=source,
        env=env,
        check=True,
        capture_output=True,
    )
    return out


def _wheel(dist: Path) -> Path:
    return dist / f"convdemo-{VERSION}-py3-none-any.whl"


def _wheel_metadata(dist: Path) -> Any:
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        text = wheel.read(f"convdemo-{VERSION}.dist-info/METADATA").decode()
    return email.message_from_string(text)


@pytest.mark.slow
def test_build_makes_one_sdist_and_one_wheel(dist: Path) -> None:
    """`python -m build` writes convdemo-X.Y.Z.tar.gz and its py3 wheel."""
    assert sorted(p.name for p in dist.iterdir()) == [
        f"convdemo-{VERSION}-py3-none-any.whl",
        f"convdemo-{VERSION}.tar.gz",
    ]


@pytest.mark.slow
def test_twine_accepts_both(dist: Path) -> None:
    """`twine check --strict` passes: the README renders on PyPI."""
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


@pytest.mark.slow
def test_wheel_metadata(dist: Path) -> None:
    """The wheel says the version, licence, Python, dependencies and links."""
    meta = _wheel_metadata(dist)
    assert meta["Name"] == "convdemo"
    assert meta["Version"] == VERSION
    assert meta["License-Expression"] == "BSD-3-Clause"
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["Description-Content-Type"] == "text/markdown"
    requires = meta.get_all("Requires-Dist")
    assert {r.split(";")[0] for r in requires} >= {
        "numpy>=2.0",
        "matplotlib>=3.8",
        "pillow>=10.0",
    }
    urls = {u.split(",")[0] for u in meta.get_all("Project-URL")}
    assert urls == set(PYPROJECT["project"]["urls"])
    assert set(meta.get_all("Classifier")) == set(PYPROJECT["project"]["classifiers"])


@pytest.mark.slow
def test_wheel_holds_the_package_only(dist: Path) -> None:
    """The wheel has convdemo's modules, py.typed, the licence and the command."""
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        names = wheel.namelist()
        entry_points = wheel.read(f"convdemo-{VERSION}.dist-info/entry_points.txt")
    modules = {Path(n).name for n in names if n.startswith("convdemo/")}
    assert modules == {p.name for p in (ROOT / "convdemo").glob("*.py")} | {"py.typed"}
    assert f"convdemo-{VERSION}.dist-info/licenses/LICENSE" in names
    assert not [n for n in names if n.split("/")[0] in ("tests", "hooks", "docs")]
    assert b"convdemo = convdemo.cli:main" in entry_points


@pytest.mark.slow
def test_sdist_holds_the_sources(dist: Path) -> None:
    """The sdist has pyproject.toml, README, LICENSE, the package, its version."""
    with tarfile.open(dist / f"convdemo-{VERSION}.tar.gz") as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
        member = sdist.extractfile(f"convdemo-{VERSION}/PKG-INFO")
        assert member is not None
        pkg_info = email.message_from_bytes(member.read())
    assert {"pyproject.toml", "README.md", "LICENSE", "convdemo/__init__.py"} <= names
    assert "convdemo/py.typed" in names
    assert pkg_info["Version"] == VERSION


@pytest.mark.slow
def test_wheel_imports_and_reports_its_version(dist: Path, tmp_path: Path) -> None:
    """The unpacked wheel imports, and its `python -m convdemo --version` works."""
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        wheel.extractall(tmp_path)
    code = (
        "import convdemo, sys; "
        "print(convdemo.__file__); "
        "from convdemo.cli import main; sys.exit(main(['--version']))"
    )
    printed_lines = run_python(code, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)})
    where, printed = printed_lines.splitlines()
    assert Path(where).is_relative_to(tmp_path)
    assert printed == f"convdemo {VERSION}"
