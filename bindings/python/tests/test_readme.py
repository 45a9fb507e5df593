"""The Python snippets of the READMEs run, and print what their comments say."""

import contextlib
import io
import re

import pytest

from conftest import PROJECT_DIR, REPO_ROOT

BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def python_blocks(path):
    return BLOCK.findall(path.read_text(encoding="utf-8"))


def run_block(code, **env):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<README>", "exec"), dict(env, __name__="__readme__"))
    return out.getvalue()


def expected_prints(code):
    """What each `print(...)  # VALUE...` line promises: the comment's first word(s)."""
    want = []
    for line in code.splitlines():
        m = re.match(r"\s*print\(.*\)\s+# (.*)$", line)
        if m:
            want.append(m.group(1).split(":")[0].split(", from")[0].strip())
    return want


def test_top_level_readme_python_section():
    blocks = python_blocks(REPO_ROOT / "README.md")
    assert blocks, "no python block in README.md"
    code = blocks[0]
    for needle in ("struct point", "jit.origin", "jit.counter", "jit.declare", "cos"):
        assert needle in code
    lines = run_block(code).splitlines()
    want = expected_prints(code)
    assert len(lines) == len(want)
    for got, w in zip(lines, want):
        assert got.startswith(w), (got, w)


@pytest.mark.parametrize("index", range(len(python_blocks(PROJECT_DIR / "README.md"))))
def test_binding_readme_blocks(index):
    code = python_blocks(PROJECT_DIR / "README.md")[index]
    import cfree

    with cfree.Jit() as jit:  # (snippets that continue an earlier one use a `jit`)
        run_block(code, jit=jit)
