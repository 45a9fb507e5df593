"""The package as installed, the in-tree build backend, the tutorial and the benchmark."""

import base64
import csv
import hashlib
import importlib.util
import io
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import zipfile

import pytest

import cfree
from conftest import PROJECT_DIR, REPO_ROOT

INSTALLED = os.environ.get("CFREE_EXPECT_INSTALLED") == "1"


@pytest.mark.skipif(not INSTALLED, reason="only when testing an installed package")
def test_installed_package_bundles_the_library():
    pkg = pathlib.Path(cfree.__file__).resolve().parent
    assert pkg != (PROJECT_DIR / "cfree").resolve(), "testing the checkout, not the install"
    assert pathlib.Path(sysconfig.get_paths()["platlib"]).resolve() in pkg.parents
    assert "CFREE_LIBRARY" not in os.environ
    assert pathlib.Path(cfree.library_path()) == pkg / "libcfree.so"
    assert (pkg / "libcfree.so").is_file()
    assert (pkg / "py.typed").is_file()  # PEP 561: the package's type hints are for checkers
    assert cfree.__version__ == "0.1.0"


def load_backend():
    path = PROJECT_DIR / "build_backend" / "cfree_build_backend.py"
    spec = importlib.util.spec_from_file_location("cfree_build_backend_under_test", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def built_wheel(tmp_path_factory):
    backend = load_backend()
    out = tmp_path_factory.mktemp("wheel")
    name = backend.build_wheel(str(out))
    return backend, out / name


def test_backend_hooks_and_metadata(tmp_path):
    backend = load_backend()
    assert backend.get_requires_for_build_wheel() == []
    dist_info = backend.prepare_metadata_for_build_wheel(str(tmp_path))
    assert dist_info == "cfree-0.1.0.dist-info"
    meta = (tmp_path / dist_info / "METADATA").read_text()
    assert "Name: cfree\n" in meta and "Version: 0.1.0\n" in meta
    assert "Requires-Python: >=3.9" in meta
    wheel = (tmp_path / dist_info / "WHEEL").read_text()
    assert "Root-Is-Purelib: false" in wheel


def test_backend_builds_a_correct_wheel(built_wheel):
    backend, path = built_wheel
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    assert path.name == "cfree-0.1.0-py3-none-%s.whl" % plat
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert {
            "cfree/__init__.py",
            "cfree/_jit.py",
            "cfree/_lib.py",
            "cfree/_types.py",
            "cfree/_errors.py",
            "cfree/_cdata.py",
            "cfree/py.typed",
            "cfree/libcfree.so",
            "cfree-0.1.0.dist-info/METADATA",
            "cfree-0.1.0.dist-info/WHEEL",
            "cfree-0.1.0.dist-info/RECORD",
        } <= names
        assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
        wheel = zf.read("cfree-0.1.0.dist-info/WHEEL").decode()
        assert "Root-Is-Purelib: false\n" in wheel
        assert "Tag: py3-none-%s\n" % plat in wheel
        rows = list(csv.reader(io.StringIO(zf.read("cfree-0.1.0.dist-info/RECORD").decode())))
        recorded = {r[0]: r for r in rows}
        assert set(recorded) == names
        for name in names:
            if name.endswith("RECORD"):
                assert recorded[name][1:] == ["", ""]
                continue
            data = zf.read(name)
            assert recorded[name][1] == record_hash(data), name
            assert recorded[name][2] == str(len(data)), name
        so = zf.read("cfree/libcfree.so")
        assert so[:4] == b"\x7fELF"
        mode = zf.getinfo("cfree/libcfree.so").external_attr >> 16
        assert mode & 0o111
        # the Python sources are the checkout's
        assert zf.read("cfree/_jit.py") == (PROJECT_DIR / "cfree" / "_jit.py").read_bytes()


def test_backend_fails_clearly_without_checkout(tmp_path, monkeypatch):
    backend = load_backend()
    fake = tmp_path / "a" / "b"
    fake.mkdir(parents=True)
    monkeypatch.setattr(backend, "PROJECT_DIR", str(fake))
    monkeypatch.delenv("CFREE_SOURCE_DIR", raising=False)
    with pytest.raises(backend.BuildError, match="Cargo.toml"):
        backend._repo_root()
    monkeypatch.setenv("CFREE_SOURCE_DIR", str(REPO_ROOT))
    assert backend._repo_root() == str(REPO_ROOT)


def test_backend_fails_clearly_without_cargo(tmp_path, monkeypatch):
    backend = load_backend()
    monkeypatch.setenv("CARGO", str(tmp_path / "no-cargo-here"))
    with pytest.raises(backend.BuildError, match="CARGO"):
        backend._cargo()
    monkeypatch.delenv("CARGO")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(backend.BuildError, match="cargo"):
        backend._cargo()


def test_tutorial_runs():
    script = REPO_ROOT / "examples" / "python" / "tutorial.py"
    r = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "tutorial: ok" in r.stdout


@pytest.mark.skipif(not (shutil.which("cc") or shutil.which("gcc")), reason="needs a C compiler")
def test_benchmark_runs():
    r = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "bench_call.py"), "--number", "2000", "--repeat", "2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "plain ctypes into cc -shared" in r.stdout
    assert "binding call / plain ctypes call" in r.stdout
