"""Shared fixtures for the cfree binding tests.

The suite runs against whatever `import cfree` finds: the installed package when run by
scripts/test-python.sh (which checks that in test_install.py), or a checkout with
PYTHONPATH=bindings/python and CFREE_LIBRARY=target/release/libcfree.so while developing.
"""

import os
import pathlib

import pytest

import cfree

TESTS_DIR = pathlib.Path(__file__).resolve().parent
PROJECT_DIR = TESTS_DIR.parent  # bindings/python
REPO_ROOT = PROJECT_DIR.parent.parent


@pytest.fixture
def jit():
    with cfree.Jit() as j:
        yield j


@pytest.fixture
def rjit():
    with cfree.Jit(reloadable=True) as j:
        yield j


def wrap(value, bits, signed):
    """value reduced to a C integer of `bits` bits (two's complement when signed)."""
    value &= (1 << bits) - 1
    if signed and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


@pytest.fixture
def repo_root():
    return REPO_ROOT
