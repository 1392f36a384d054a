"""docs/testing.md's Python examples run as written (a pytest test and a unittest case)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)


def test_the_pytest_and_unittest_examples_pass(tmp_path: Path) -> None:
    pytest_example, unittest_example = _blocks()[:2]
    (tmp_path / "test_from_docs.py").write_text(pytest_example)
    (tmp_path / "unittest_from_docs.py").write_text(unittest_example)
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = ""\n')
    run = {"cwd": tmp_path, "capture_output": True, "text": True, "timeout": 120}
    pytest_run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], **run
    )  # type: ignore[call-overload]
    assert pytest_run.returncode == 0, pytest_run.stdout[-3000:]
    unittest_run = subprocess.run([sys.executable, "unittest_from_docs.py"], **run)  # type: ignore[call-overload]
    assert unittest_run.returncode == 0, unittest_run.stderr[-3000:]
