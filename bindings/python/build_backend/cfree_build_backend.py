"""A tiny PEP 517 build backend for the cfree Python package, standard library only.

``pip install ./bindings/python`` (run from the cfree checkout) calls it with no build
dependencies to download (``requires = []`` in pyproject.toml). It:

1. finds the cfree checkout: the directory two levels above ``bindings/python`` (where this
   file lives in ``bindings/python/build_backend/``), or ``$CFREE_SOURCE_DIR``; it must hold
   the ``Cargo.toml`` of the ``cfree`` crate;
2. runs ``cargo build --release --lib`` there (``$CARGO`` or ``cargo`` on PATH or
   ``~/.cargo/bin/cargo``; ``$CARGO_TARGET_DIR`` and cargo's own configuration are honoured,
   since the library's path is read from cargo's JSON messages);
3. writes ``cfree-VERSION-py3-none-PLATFORM.whl`` holding the Python package, the freshly
   built ``cfree/libcfree.so``, and ``cfree-VERSION.dist-info/{METADATA,WHEEL,RECORD}``
   (sha256 hashes; ``Root-Is-Purelib: false``; the platform tag from ``sysconfig``).

Hooks: ``get_requires_for_build_wheel``, ``prepare_metadata_for_build_wheel`` and
``build_wheel`` (what pip 21.3+ calls; pip builds a local directory in place). There is no
sdist: the package cannot be built without the Rust sources around it.
"""

import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile

PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # bindings/python
PACKAGE = "cfree"
LIBRARY = "libcfree.so"


class BuildError(RuntimeError):
    """A build failure with a message meant for the person running pip."""


def _say(msg):
    sys.stderr.write("cfree build backend: %s\n" % msg)
    sys.stderr.flush()


# ---- project metadata ----------------------------------------------------------------------


def _read_project_table():
    """The [project] table of pyproject.toml (tomllib on 3.11+, a minimal reader before)."""
    path = os.path.join(PROJECT_DIR, "pyproject.toml")
    with open(path, "rb") as f:
        raw = f.read()
    try:
        import tomllib  # Python 3.11+
    except ImportError:
        tomllib = None
    if tomllib is not None:
        return tomllib.loads(raw.decode("utf-8")).get("project", {})
    # Enough TOML for our own file: `key = "string"` lines inside [project].
    table = {}
    section = None
    for line in raw.decode("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]").strip()
            continue
        m = re.match(r'^([A-Za-z0-9_-]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(#.*)?$', line)
        if section == "project" and m:
            table[m.group(1)] = json.loads('"%s"' % m.group(2))
    return table


def _metadata():
    project = _read_project_table()
    name = project.get("name")
    version = project.get("version")
    if not name or not version:
        raise BuildError("pyproject.toml must give [project] name and version")
    return project


def _dist_name(project):
    return re.sub(r"[-_.]+", "_", project["name"]).lower()


def _dist_info_dir(project):
    return "%s-%s.dist-info" % (_dist_name(project), project["version"])


def _platform_tag():
    return re.sub(r"[^A-Za-z0-9_]", "_", sysconfig.get_platform())


def _wheel_tag():
    return "py3-none-%s" % _platform_tag()


def _metadata_text(project):
    lines = [
        "Metadata-Version: 2.1",
        "Name: %s" % project["name"],
        "Version: %s" % project["version"],
    ]
    if project.get("description"):
        lines.append("Summary: %s" % project["description"])
    if project.get("requires-python"):
        lines.append("Requires-Python: %s" % project["requires-python"])
    lic = project.get("license")
    if isinstance(lic, dict):
        lic = lic.get("text")
    if lic:
        lines.append("License: %s" % lic)
    body = ""
    readme = project.get("readme")
    if isinstance(readme, str) and os.path.isfile(os.path.join(PROJECT_DIR, readme)):
        with open(os.path.join(PROJECT_DIR, readme), encoding="utf-8") as f:
            body = f.read()
        kind = "text/markdown" if readme.endswith(".md") else "text/plain"
        lines.append("Description-Content-Type: %s" % kind)
    text = "\n".join(lines) + "\n"
    if body:
        text += "\n" + body
    return text.encode("utf-8")


def _wheel_text():
    return (
        "Wheel-Version: 1.0\n"
        "Generator: cfree_build_backend\n"
        "Root-Is-Purelib: false\n"
        "Tag: %s\n" % _wheel_tag()
    ).encode("utf-8")


# ---- building libcfree.so -------------------------------------------------------------------


def _repo_root():
    candidates = []
    if os.environ.get("CFREE_SOURCE_DIR"):
        candidates.append(os.path.abspath(os.environ["CFREE_SOURCE_DIR"]))
    candidates.append(os.path.dirname(os.path.dirname(PROJECT_DIR)))
    for root in candidates:
        cargo_toml = os.path.join(root, "Cargo.toml")
        if os.path.isfile(cargo_toml):
            with open(cargo_toml, encoding="utf-8") as f:
                if re.search(r'(?m)^name\s*=\s*"cfree"\s*$', f.read()):
                    return root
    raise BuildError(
        "cannot find the cfree checkout: expected the Cargo.toml of the `cfree` crate in %s. "
        "Install the package from a cfree checkout (`pip install ./bindings/python` in its "
        "root; pip builds local directories in place), or set CFREE_SOURCE_DIR to the "
        "checkout." % " or ".join(candidates)
    )


def _cargo():
    cargo = os.environ.get("CARGO")
    if cargo:
        if not (os.path.isfile(cargo) and os.access(cargo, os.X_OK)) and not shutil.which(cargo):
            raise BuildError("CARGO=%s is not an executable" % cargo)
        return cargo
    cargo = shutil.which("cargo")
    if cargo:
        return cargo
    home = os.path.join(os.path.expanduser("~"), ".cargo", "bin", "cargo")
    if os.path.isfile(home) and os.access(home, os.X_OK):
        return home
    raise BuildError(
        "cannot find cargo (not on PATH, not in ~/.cargo/bin, CARGO not set): building the "
        "cfree Python package needs a Rust toolchain (https://rustup.rs) to build libcfree.so"
    )


def _build_library():
    """Run cargo; return the path of the freshly built libcfree.so."""
    root = _repo_root()
    cargo = _cargo()
    cmd = [cargo, "build", "--release", "--lib", "--message-format=json-render-diagnostics"]
    _say("building libcfree.so: %s (in %s)" % (" ".join(cmd[:4]), root))
    try:
        proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    except OSError as e:
        raise BuildError("cannot run %s: %s" % (cargo, e)) from e
    found = None
    for line in proc.stdout:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") != "compiler-artifact":
            continue
        target = msg.get("target") or {}
        if target.get("name") == "cfree" and "cdylib" in (target.get("kind") or []):
            for path in msg.get("filenames") or []:
                if os.path.basename(path) == LIBRARY:
                    found = path
    if proc.wait() != 0:
        raise BuildError("`cargo build --release --lib` failed in %s (see its output above)" % root)
    if found is None:
        # Cargo did not say (old cargo?): where the target directory puts it.
        target_dir = os.environ.get("CARGO_TARGET_DIR") or "target"
        found = os.path.join(root, target_dir, "release", LIBRARY)
    if not os.path.isfile(found):
        raise BuildError("cargo succeeded but %s does not exist" % found)
    _say("bundling %s" % found)
    return found


# ---- writing the wheel ---------------------------------------------------------------------


def _package_files():
    """(path in wheel, file on disk) for the Python sources of the package."""
    out = []
    pkg_dir = os.path.join(PROJECT_DIR, PACKAGE)
    for dirpath, dirnames, filenames in os.walk(pkg_dir):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for fn in sorted(filenames):
            if fn.endswith((".pyc", ".pyo", ".so")):
                continue
            full = os.path.join(dirpath, fn)
            arc = os.path.relpath(full, PROJECT_DIR).replace(os.sep, "/")
            out.append((arc, full))
    return out


def _hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _zip_time():
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        t = time.gmtime(max(int(epoch), 315532800))  # not before 1980
        return t[:6]
    return (1980, 1, 1, 0, 0, 0)


def _write_wheel(path, entries):
    """entries: (name in wheel, bytes, mode); RECORD is computed and added last."""
    stamp = _zip_time()
    record_lines = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100000 | mode) << 16
            zf.writestr(info, data)
            record_lines.append("%s,%s,%d" % (name, _hash(data), len(data)))
        dist_info = entries[-1][0].split("/")[0]
        record_name = dist_info + "/RECORD"
        record_lines.append("%s,," % record_name)
        record = ("\n".join(record_lines) + "\n").encode("utf-8")
        info = zipfile.ZipInfo(record_name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (0o100000 | 0o644) << 16
        zf.writestr(info, record)


# ---- PEP 517 hooks -------------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project = _metadata()
    name = _dist_info_dir(project)
    out = os.path.join(metadata_directory, name)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "METADATA"), "wb") as f:
        f.write(_metadata_text(project))
    with open(os.path.join(out, "WHEEL"), "wb") as f:
        f.write(_wheel_text())
    return name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _metadata()
    library = _build_library()
    entries = []
    for arc, full in _package_files():
        with open(full, "rb") as f:
            entries.append((arc, f.read(), 0o644))
    with open(library, "rb") as f:
        entries.append(("%s/%s" % (PACKAGE, LIBRARY), f.read(), 0o755))
    dist_info = _dist_info_dir(project)
    entries.append((dist_info + "/METADATA", _metadata_text(project), 0o644))
    entries.append((dist_info + "/WHEEL", _wheel_text(), 0o644))
    wheel_name = "%s-%s-%s.whl" % (_dist_name(project), project["version"], _wheel_tag())
    os.makedirs(wheel_directory, exist_ok=True)
    path = os.path.join(wheel_directory, wheel_name)
    tmp = path + ".tmp"
    try:
        _write_wheel(tmp, entries)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _say("wrote %s" % wheel_name)
    return wheel_name
