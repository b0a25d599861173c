"""The GitHub workflows: pinned actions, least privilege, no injected input."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# owner/name[/path]@<full commit SHA> # vX.Y.Z
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_there_are_workflows() -> None:
    """The Pages and release workflows exist."""
    assert {p.name for p in WORKFLOWS} >= {"pages.yml", "release.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit(path: Path) -> None:
    """Each `uses:` names a full commit SHA, with its release tag in a comment."""
    uses = re.findall(r"^\s*(?:- )?uses:\s*(.+?)\s*$", path.read_text(), re.M)
    assert uses
    for line in uses:
        assert PINNED.match(line), line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_granted_per_job(path: Path) -> None:
    """Nothing is granted workflow-wide; each job lists what it needs."""
    workflow = _load(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("permissions"), dict), name
        assert job["permissions"], name
        assert "write-all" not in str(job["permissions"]), name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(path: Path) -> None:
    """actions/checkout does not leave the token in .git/config."""
    for job in _load(path)["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_scripts_expand_no_expressions(path: Path) -> None:
    """`run:` scripts read values from env, never from ${{ }} (no injection)."""
    for job in _load(path)["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step.get("name")


def test_dependabot_watches_actions_and_locks() -> None:
    """Dependabot updates the action pins and the pip lock files weekly."""
    config = _load(ROOT / ".github" / "dependabot.yml")
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"github-actions", "pip"}
    assert all(u["schedule"]["interval"] == "weekly" for u in updates.values())
    assert updates["pip"]["versioning-strategy"] == "lockfile-only"
