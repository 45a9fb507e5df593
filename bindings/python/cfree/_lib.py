"""The ctypes declarations of libcfree's C API (``include/cfree.h``).

The library is loaded with :class:`ctypes.CDLL`, never :class:`ctypes.PyDLL`: every call into
libcfree (compiling, appending, reloading, ...) and every call into JIT code releases the GIL
for its duration, so other Python threads keep running while C code runs.

The library bundled with the package (``cfree/libcfree.so``, put there by the build backend) is
used unless the environment variable ``CFREE_LIBRARY`` names another file, which is handy while
working on cfree itself (``CFREE_LIBRARY=target/release/libcfree.so``).
"""

import ctypes
import os
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char_p,
    c_int,
    c_size_t,
    c_uint32,
    c_uint64,
    c_void_p,
)

# CfreeJitIndirectionMode
CFREE_JIT_INDIRECT_NONE = 0
CFREE_JIT_INDIRECT_EXPORTED_FUNCS = 1

# CfreeErrorKind
CFREE_OK = 0
CFREE_ERR_COMPILE = 1
CFREE_ERR_LINK = 2
CFREE_ERR_RELOAD = 3
CFREE_ERR_JIT = 4
CFREE_ERR_INVALID_ARGUMENT = 5
CFREE_ERR_INTERNAL = 6

# CfreeJitReloadOptions.flags
CFREE_RELOAD_UNCHECKED_ABI = 1


class CfreeJitOptions(Structure):
    _fields_ = [
        ("indirection", c_int),
        ("opt_level", c_int),
        ("debug", c_int),
        ("include_dirs", POINTER(c_char_p)),
        ("defines", POINTER(c_char_p)),
        ("libraries", POINTER(c_char_p)),
        ("library_dirs", POINTER(c_char_p)),
        ("reserve_code", c_uint64),
        ("reserve_rodata", c_uint64),
        ("reserve_data", c_uint64),
        # NULL: the host. (Images on other architectures are the C and Rust APIs' for now.)
        ("target", c_char_p),
        ("lazy", c_int),
    ]


class CfreeJitReloadOptions(Structure):
    _fields_ = [
        ("symbol", c_char_p),
        ("obj", c_void_p),
        ("flags", c_uint32),
    ]


class CfreeSymbolInfo(Structure):
    _fields_ = [
        ("name", c_char_p),
        ("addr", c_void_p),
        ("size", c_uint64),
        ("is_function", c_int),
    ]


SYMBOL_CALLBACK = CFUNCTYPE(c_int, POINTER(CfreeSymbolInfo), c_void_p)

# ---- introspection (the "Introspection" section of cfree.h) ----

# CfreeTypeClass
CFREE_TYPE_STRUCT = 1
CFREE_TYPE_UNION = 2
CFREE_TYPE_ENUM = 3

# CfreeConstantKind
CFREE_CONST_ENUM = 1
CFREE_CONST_MACRO = 2


class CfreeField(Structure):
    _fields_ = [
        ("name", c_char_p),
        ("type", c_char_p),
        ("offset", c_uint64),
        ("bit_offset", c_uint32),
        ("bit_width", c_uint32),
        ("bit_unit_size", c_uint32),
    ]


class CfreeTypeLayout(Structure):
    _fields_ = [
        ("type_class", c_int),
        ("name", c_char_p),
        ("size", c_uint64),
        ("align", c_uint64),
        ("nfields", c_size_t),
        ("fields", POINTER(CfreeField)),
        ("enum_base", c_char_p),
    ]


class CfreeConstant(Structure):
    _fields_ = [
        ("name", c_char_p),
        ("value", ctypes.c_int64),
        ("is_unsigned", c_int),
        ("kind", c_int),
        ("type", c_char_p),
    ]


CONSTANT_CALLBACK = CFUNCTYPE(c_int, POINTER(CfreeConstant), c_void_p)

LIBRARY_NAME = "libcfree.so"


def library_path():
    """The file the package loads: ``$CFREE_LIBRARY`` or the bundled ``libcfree.so``."""
    override = os.environ.get("CFREE_LIBRARY")
    if override:
        return override
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), LIBRARY_NAME)


def _load():
    path = library_path()
    if not os.path.exists(path):
        raise ImportError(
            "cfree: the C library %r is missing; install the package with "
            "`pip install ./bindings/python` from the cfree checkout (it builds and bundles "
            "libcfree.so), or set CFREE_LIBRARY to a libcfree.so" % path
        )
    # CDLL (not PyDLL): calls release the GIL.
    lib = ctypes.CDLL(path)

    def fn(name, restype, *argtypes):
        f = getattr(lib, name)
        f.restype = restype
        f.argtypes = list(argtypes)

    J = c_void_p  # CfreeJit *
    O = c_void_p  # CfreeObj *
    fn("cfree_jit_new", J, POINTER(CfreeJitOptions))
    fn("cfree_jit_free", None, J)
    fn("cfree_jit_last_error", c_char_p, J)
    fn("cfree_jit_last_error_kind", c_int, J)
    fn("cfree_jit_add_symbol", c_int, J, c_char_p, c_void_p)
    fn("cfree_compile", O, J, c_char_p, c_char_p)
    fn("cfree_obj_free", None, O)
    fn("cfree_obj_warnings", c_char_p, O)
    fn("cfree_obj_elf", c_void_p, O, POINTER(c_size_t))
    fn("cfree_jit_append_obj", c_int, J, O)
    fn("cfree_jit_add_source", c_int, J, c_char_p, c_char_p)
    fn("cfree_jit_reload_function", c_int, J, POINTER(CfreeJitReloadOptions))
    fn("cfree_jit_lookup", c_void_p, J, c_char_p)
    fn("cfree_jit_addr_to_sym", c_int, J, c_void_p, POINTER(c_char_p), POINTER(c_uint64))
    fn("cfree_jit_generation", c_uint64, J)
    fn("cfree_jit_symbols", c_int, J, SYMBOL_CALLBACK, c_void_p)
    fn("cfree_jit_view", c_int, J, POINTER(c_void_p), POINTER(c_size_t))
    fn("cfree_jit_function_type", c_char_p, J, c_char_p)
    fn("cfree_declaration_type", c_char_p, J, c_char_p, POINTER(c_char_p))
    fn("cfree_jit_type_layout", c_int, J, c_char_p, POINTER(CfreeTypeLayout))
    fn("cfree_jit_typedef", c_char_p, J, c_char_p)
    fn("cfree_jit_global_type", c_char_p, J, c_char_p, POINTER(c_int))
    fn("cfree_jit_constants", c_int, J, CONSTANT_CALLBACK, c_void_p)
    fn("cfree_jit_param_names", POINTER(c_char_p), J, c_char_p, POINTER(c_size_t))
    fn("cfree_jit_declare", c_int, J, c_char_p)
    fn("cfree_jit_resolve", c_void_p, J, c_char_p)
    return lib


lib = _load()
