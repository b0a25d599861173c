"""The README's library example runs as written."""

import re
from pathlib import Path

import matplotlib.pyplot as plt

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_library_example_runs(tmp_path, monkeypatch, capsys):
    """The ten-line example in the README runs and prints the shapes it promises."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) == 1
    monkeypatch.chdir(tmp_path)
    exec(compile(blocks[0], str(README), "exec"), {})
    assert capsys.readouterr().out.strip() == "(300, 300) (150, 150)"
    assert (tmp_path / "vertical.png").stat().st_size > 0
    plt.close("all")
