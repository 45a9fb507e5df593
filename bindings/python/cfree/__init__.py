"""cfree: C compiled at run time into a live, patchable in-memory image.

A thin layer over libcfree (``include/cfree.h``) through :mod:`ctypes`; the library is
bundled with the package. Standard library only.

    import cfree

    with cfree.Jit(reloadable=True) as jit:
        jit.add_source("int scale(int x) { return x * 2; }", filename="k.c")
        jit.scale(3)                                    # 6: typed from the C declaration
        jit.reload("scale", "int scale(int x) { return x * 100; }")
        jit.scale(3)                                    # 300: same address, new body

        jit.add_symbol("log_value", print, "void log_value(int)")
        jit.add_source("void log_value(int); void hello(void) { log_value(42); }")
        jit.hello()                                     # prints 42

Calls need no hand-written prototypes: the binding asks cfree for the C type of each function
(``cfree_jit_function_type``) and builds the ctypes function object from it. See
:class:`Jit` for the API, threading and lifetimes, and :mod:`cfree._types` for how C types map
to Python values (``char *`` <-> ``bytes``, buffers such as ``bytearray`` or ``array.array``
passed in place to pointer parameters, ...).

Struct and union types, globals, enumeration constants and integer ``#define`` macros come from
the compiler's own declarations too (``jit.type("struct point")``, ``jit.counter``,
``jit.RED``, ``jit.constants``), and ``jit.declare("double cos(double);")`` types library
functions (cffi's ABI mode, without a hand-written cdef).

Errors are exceptions: :class:`CompileError` (``file.c:LINE:COL`` and a caret),
:class:`LinkError`, :class:`ReloadError`, :class:`JitError`, :class:`InvalidArgumentError`,
:class:`InternalError`, all subclasses of :class:`Error`. After any of them the Jit is exactly
as it was before the failed call.
"""

from ._errors import (
    ClosedError,
    CompileError,
    CompileWarning,
    Error,
    InternalError,
    InvalidArgumentError,
    JitError,
    LinkError,
    ReloadError,
    SymbolNotFoundError,
)
from ._jit import Jit, Symbol
from ._lib import library_path
from ._types import parse_function_type


def _version():
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover
        return "0+unknown"
    try:
        return version("cfree")
    except PackageNotFoundError:
        return "0+unknown"


__version__ = _version()

__all__ = [
    "ClosedError",
    "CompileError",
    "CompileWarning",
    "Error",
    "InternalError",
    "InvalidArgumentError",
    "Jit",
    "JitError",
    "LinkError",
    "ReloadError",
    "Symbol",
    "SymbolNotFoundError",
    "library_path",
    "parse_function_type",
]
