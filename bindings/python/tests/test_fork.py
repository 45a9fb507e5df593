"""fork() and a live image: the child gets its own copy of the image's data and, once it
changes code (a reload), of its code, exactly as a forked process owns its memory."""

import os

import cfree


def _child(fn):
    """Runs fn in a forked child; returns the child's exit status (fn's result)."""
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            code = fn()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status), status
    return os.WEXITSTATUS(status)


def test_globals_written_by_the_child_stay_the_childs():
    with cfree.Jit() as jit:
        jit.add_source("int counter = 1; int bump(void) { return ++counter; }")
        assert jit.bump() == 2
        # The child starts from 2 and writes 3 and 4.
        assert _child(lambda: jit.bump() * 10 + jit.bump()) == 34
        assert jit.counter == 2
        assert jit.bump() == 3


def test_a_reload_in_the_child_does_not_reach_the_parent():
    with cfree.Jit(reloadable=True) as jit:
        jit.add_source("int version(void) { return 1; }")

        def child():
            jit.reload("version", "int version(void) { return 2; }")
            jit.add_source("int extra(void) { return 5; }")
            return jit.version() * 10 + jit.extra()

        assert _child(child) == 25
        assert jit.version() == 1
        # The parent can still change its own code afterwards.
        jit.reload("version", "int version(void) { return 3; }")
        assert jit.version() == 3
