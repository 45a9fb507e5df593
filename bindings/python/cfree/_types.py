"""C type strings, as libcfree spells them, turned into ctypes types.

``cfree_jit_function_type`` and ``cfree_declaration_type`` describe a function as
``"RET (PARAM, PARAM, ...)"``: ``"int (int, double)"``, ``"char * (char *, ...)"``,
``"void (void)"``, ``"int (int (int) *, int)"`` (a function-pointer parameter). Qualifiers
are dropped and typedefs and enums are resolved, so only a handful of spellings occur.

The mapping follows x86-64 Linux (LP64): ``char`` is signed, ``long`` is 64 bits, and
``long double`` is the x87 80-bit type, ``ctypes.c_longdouble``.

Calls (Python -> C):

* integer and floating types: the ctypes type itself (``int``/``float`` in, ``int``/``float``
  out; ``_Bool`` gives ``bool``);
* ``char *`` (also ``signed``/``unsigned char *``): results come back as ``bytes`` (a copy up
  to the NUL; ``None`` for NULL). Arguments may be ``bytes`` (passed as a pointer to its own
  storage: read-only for C), ``str`` (UTF-8 encoded), ``None``, an ``int`` address, or
  anything a ``void *`` accepts;
* any other pointer: results are ``int`` addresses (``None`` for NULL). Arguments may be an
  ``int`` address, ``None``, ``bytes``, a ctypes object (array, pointer, ``byref``, structure,
  function pointer...) or any object with a C-contiguous buffer: ``bytearray``,
  ``array.array``, ``memoryview``, a NumPy array... A writable buffer is passed as a pointer
  to its own memory, so C modifies it in place; a read-only buffer is copied first;
* ``void`` results are ``None``;
* structs by value: the class :mod:`cfree._cdata` builds from the compiler's layout (``Jit``
  does this; the helpers here only know scalars and pointers); unions by value, ``__int128``,
  ``va_list`` and anything else unknown: the function cannot be called (``TypeError``).
* integer arguments are range-checked by ``Jit`` (``OverflowError``), not by these helpers.

Callbacks (C -> Python, see ``Jit.add_symbol``): the same scalar types; ``char *`` parameters
arrive as ``bytes`` (a copy), other pointers as ``int`` (or ``None``); a callback returning a
pointer returns an ``int`` address or ``None``.
"""

import ctypes
import numbers
import operator
from collections import namedtuple
from ctypes import c_char, c_char_p, c_void_p

Signature = namedtuple("Signature", "ret params variadic")
Signature.__doc__ = """A parsed C function type: return type, parameter types (strings) and
whether it ends in ``...``."""

_SCALARS = {
    "_Bool": ctypes.c_bool,
    "char": ctypes.c_byte,  # signed on x86-64 Linux
    "signed char": ctypes.c_byte,
    "unsigned char": ctypes.c_ubyte,
    "short": ctypes.c_short,
    "unsigned short": ctypes.c_ushort,
    "int": ctypes.c_int,
    "unsigned int": ctypes.c_uint,
    "long": ctypes.c_long,
    "unsigned long": ctypes.c_ulong,
    "long long": ctypes.c_longlong,
    "unsigned long long": ctypes.c_ulonglong,
    "float": ctypes.c_float,
    "double": ctypes.c_double,
    "long double": ctypes.c_longdouble,  # x87 extended, as the psABI and cfree
}

# Other spellings of the same types (cfree itself prints the canonical ones above).
_ALIASES = {
    "bool": "_Bool",
    "short int": "short",
    "signed short": "short",
    "signed short int": "short",
    "unsigned short int": "unsigned short",
    "signed": "int",
    "signed int": "int",
    "unsigned": "unsigned int",
    "long int": "long",
    "signed long": "long",
    "signed long int": "long",
    "unsigned long int": "unsigned long",
    "long long int": "long long",
    "signed long long": "long long",
    "signed long long int": "long long",
    "unsigned long long int": "unsigned long long",
}

_CHAR_POINTERS = ("char *", "signed char *", "unsigned char *")


def parse_function_type(text):
    """Split ``"int (int, double, ...)"`` into ``Signature("int", ["int", "double"], True)``.

    Raises ``ValueError`` for text that is not a function type.
    """
    s = " ".join(text.split())
    if not s.endswith(")"):
        raise ValueError("not a C function type: %r" % text)
    depth = 0
    start = -1
    for i in range(len(s) - 1, -1, -1):
        c = s[i]
        if c == ")":
            depth += 1
        elif c == "(":
            depth -= 1
            if depth == 0:
                start = i
                break
    ret = s[:start].strip() if start > 0 else ""
    if not ret:
        raise ValueError("not a C function type: %r" % text)
    params = []
    depth = 0
    cur = []
    for c in s[start + 1 : -1]:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            params.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
    last = "".join(cur).strip()
    if last or params:
        params.append(last)
    variadic = bool(params) and params[-1] == "..."
    if variadic:
        params.pop()
    if params == ["void"]:
        params = []
    if any(not p or p == "..." for p in params):
        raise ValueError("not a C function type: %r" % text)
    return Signature(ret, params, variadic)


def _normalize(t):
    t = " ".join(t.split())
    return _ALIASES.get(t, t)


def is_pointer(t):
    t = t.rstrip()
    # Array parameters decay to pointers ("int [4] *" is already a pointer).
    return t.endswith("*") or t.endswith("]")


def is_char_pointer(t):
    return _normalize(t) in _CHAR_POINTERS


def scalar(t):
    """The ctypes type of a scalar C type, or None."""
    return _SCALARS.get(_normalize(t))


def _unsupported(t, where):
    if t.startswith("struct ") or t.startswith("union "):
        why = "%s by value is not supported (pass a pointer instead)" % t
    elif "__int128" in t:
        why = "%s has no ctypes equivalent" % t
    elif t == "__builtin_va_list":
        why = "va_list cannot be passed from Python"
    elif t == "void":
        why = "void is not a parameter type"
    else:
        why = "unknown C type %r" % t
    return TypeError("%s: %s" % (where, why))


# ---- calls: Python -> C --------------------------------------------------------------------

_void_p_from_param = c_void_p.from_param
_char_p_from_param = c_char_p.from_param


def buffer_pointer(obj):
    """A ctypes object pointing at obj's buffer (in place if writable, else at a copy)."""
    try:
        view = memoryview(obj)
    except TypeError:
        raise TypeError(
            "cannot pass %s as a C pointer: expected an int address, None, bytes, a ctypes "
            "object or a buffer (bytearray, array.array, memoryview, ...)" % type(obj).__name__
        ) from None
    if not view.c_contiguous:
        raise TypeError("cannot pass a non-contiguous buffer as a C pointer")
    if view.readonly:
        return (c_char * view.nbytes).from_buffer_copy(view)
    return (c_char * view.nbytes).from_buffer(view)


class PointerArg:
    """``argtypes`` entry for ``void *`` and every non-char pointer (see the module docs)."""

    @staticmethod
    def from_param(obj):
        if obj is None or type(obj) is bytes:
            return obj
        if isinstance(obj, str):
            raise TypeError("cannot pass str as a non-char C pointer; encode it to bytes")
        try:
            return _void_p_from_param(obj)
        except TypeError:
            return buffer_pointer(obj)


class CharPointerArg:
    """``argtypes`` entry for ``char *``: also takes ``str`` (UTF-8 encoded)."""

    @staticmethod
    def from_param(obj):
        if obj is None or type(obj) is bytes:
            return obj
        if isinstance(obj, str):
            if "\0" in obj:
                raise ValueError("embedded NUL character in a str passed as char *")
            return obj.encode("utf-8")
        try:
            return _char_p_from_param(obj)
        except TypeError:
            pass
        try:
            return _void_p_from_param(obj)
        except TypeError:
            return buffer_pointer(obj)


def _ctype(c_type, char_pointer, pointer, where):
    """The ctypes type for C type ``c_type``: ``char_pointer`` for ``char *``, ``pointer`` for
    other pointers, the scalar's ctypes type otherwise; TypeError if there is none."""
    if is_char_pointer(c_type):
        return char_pointer
    if is_pointer(c_type):
        return pointer
    t = scalar(c_type)
    if t is None:
        raise _unsupported(c_type, where)
    return t


def call_types(sig, where):
    """(restype, argtypes) for calling a function of type ``sig``; TypeError if impossible."""
    restype = None if sig.ret == "void" else _ctype(sig.ret, c_char_p, c_void_p, where + " returns")
    argtypes = [
        _ctype(p, CharPointerArg, PointerArg, "%s parameter %d" % (where, i + 1))
        for i, p in enumerate(sig.params)
    ]
    return restype, argtypes


_LONG_MIN = -(1 << 63)
_LONG_MAX = (1 << 63) - 1
_ULONG_MAX = (1 << 64) - 1


def vararg(obj):
    """Convert one extra argument of a variadic call (C's default argument promotions).

    ``bool`` -> ``int``; ``int`` -> ``long`` (``unsigned long`` above ``LONG_MAX``);
    ``float`` -> ``double``; ``bytes``/``str`` -> ``char *`` (str UTF-8 encoded);
    ``None`` -> NULL; ``ctypes.c_float`` -> ``double``; other ctypes objects as they are;
    buffers -> a pointer to their memory.
    """
    t = type(obj)
    if t is int:
        if _LONG_MIN <= obj <= _LONG_MAX:
            return ctypes.c_long(obj)
        if 0 <= obj <= _ULONG_MAX:
            return ctypes.c_ulong(obj)
        raise OverflowError("variadic argument %d does not fit in 64 bits" % obj)
    if t is float:
        return ctypes.c_double(obj)
    if t is bool:
        return ctypes.c_int(obj)
    if t is bytes or obj is None:
        return c_char_p(obj)
    if isinstance(obj, str):
        return c_char_p(obj.encode("utf-8"))
    if isinstance(obj, ctypes.c_float):
        return ctypes.c_double(obj.value)
    if isinstance(obj, (ctypes._SimpleCData, ctypes._Pointer, ctypes.Array, ctypes._CFuncPtr)):
        return obj
    try:
        return vararg(int(operator.index(obj)))  # IntEnum, NumPy integers, ...
    except TypeError:
        pass
    if isinstance(obj, numbers.Real):  # float subclasses, NumPy floats, Fraction, ...
        return ctypes.c_double(float(obj))
    return buffer_pointer(obj)


# ---- callbacks: C -> Python ----------------------------------------------------------------


def callback_types(sig, where):
    """(restype, argtypes) of a ctypes CFUNCTYPE for a Python callback of type ``sig``."""
    if sig.variadic:
        raise TypeError("%s: a Python callback cannot be variadic" % where)
    # Returning bytes would leave C with a pointer into a dead object: addresses only.
    restype = None if sig.ret == "void" else _ctype(sig.ret, c_void_p, c_void_p, where + " returns")
    argtypes = [
        _ctype(p, c_char_p, c_void_p, "%s parameter %d" % (where, i + 1))
        for i, p in enumerate(sig.params)
    ]
    return restype, argtypes
