"""The :class:`Jit` class: one live image, its functions and its host symbols."""

from __future__ import annotations

import collections.abc
from typing import Any, Callable, Iterable, Mapping, Union
import ctypes
import inspect
import os
import sys
import threading
import warnings
import weakref
from collections import namedtuple
from ctypes import CFUNCTYPE, byref, c_char_p, c_uint64, c_void_p

from . import _lib
from ._errors import (
    ClosedError,
    CompileWarning,
    Error,
    InvalidArgumentError,
    SymbolNotFoundError,
    error_for,
)
from ._lib import lib
from ._cdata import ARG_ERRORS, TypeSpace, check_int, int_arg
from ._types import (
    CharPointerArg,
    PointerArg,
    _unsupported,
    callback_types,
    is_char_pointer,
    is_pointer,
    parse_function_type,
    scalar,
    vararg,
)

StrPath = Union[str, bytes, "os.PathLike[str]"]

Symbol = namedtuple("Symbol", "name address size is_function")
Symbol.__doc__ = """One symbol of the image (``Jit.symbols()``): its name, address (int), size in
bytes and whether it is a function (a reloadable function is listed once, at its stable
entry)."""

_CDATA = (ctypes._SimpleCData, ctypes.Structure, ctypes.Union, ctypes.Array, ctypes._Pointer)


def _cstr(value, what):
    """str / bytes / os.PathLike -> bytes for a ``const char *`` argument."""
    if isinstance(value, str):
        b = value.encode("utf-8")
    elif isinstance(value, (bytes, bytearray)):
        b = bytes(value)
    elif isinstance(value, os.PathLike):
        b = os.fsencode(value)
    else:
        raise TypeError("%s must be str or bytes, not %s" % (what, type(value).__name__))
    if b"\0" in b:
        raise InvalidArgumentError("cfree: %s contains a NUL character" % what)
    return b


def _cstr_array(values, what):
    """A NULL-terminated ``const char *const *`` (and the bytes that must stay alive)."""
    if isinstance(values, (str, bytes, os.PathLike)):
        values = [values]
    items = [_cstr(v, what) for v in values]
    arr = (c_char_p * (len(items) + 1))(*items)
    return arr, items


def _defines(defines):
    if isinstance(defines, dict):
        out = []
        for k, v in defines.items():
            out.append(k if v is None else "%s=%s" % (k, v))
        return out
    return defines


def _trap():
    """A C function that returns 0: what a function object of a closed Jit points to."""
    return None


# One trap for every function object of every closed Jit (never freed).
_TRAP = CFUNCTYPE(c_void_p)(_trap)
_TRAP_ADDRESS = ctypes.cast(_TRAP, c_void_p).value


_PROTOTYPES = {}


def _prototype(restype, argtypes, variadic):
    """The ctypes function-pointer class for a signature (cached).

    Variadic functions use ``CFUNCTYPE`` (cdecl: extra arguments allowed). The others use a
    class without ``FUNCFLAG_CDECL`` so ctypes checks the argument count exactly; on x86-64
    Linux the flag changes nothing else (it only selects stdcall on 32-bit Windows).
    """
    key = (restype, tuple(argtypes), variadic)
    proto = _PROTOTYPES.get(key)
    if proto is None:
        ns = {"_argtypes_": tuple(argtypes), "_restype_": restype, "_flags_": 0}
        if any(getattr(t, "ctype", None) is not None for t in argtypes):
            # ctypes reports any exception of an argument conversion as ctypes.ArgumentError;
            # an integer out of range of its C type is re-raised as the OverflowError it is.
            ns["__call__"] = _call_reraising_overflow
        if variadic:
            ns["_flags_"] = ctypes._FUNCFLAG_CDECL
        proto = type("CFunction", (ctypes._CFuncPtr,), ns)
        proto = _PROTOTYPES.setdefault(key, proto)
    return proto


def types_MappingProxy(d):
    import types

    return types.MappingProxyType(d)


def _c_decl(spelling, name):
    """A C declarator for a parameter of type ``spelling`` named ``name``."""
    s = " ".join(spelling.split())
    if s.endswith("*") and s[:-1].rstrip().endswith(")"):
        try:
            f = parse_function_type(s[:-1].rstrip())
        except ValueError:
            f = None
        if f is not None:
            ps = ", ".join(f.params + (["..."] if f.variadic else [])) or "void"
            return "%s (*%s)(%s)" % (f.ret, name, ps)
    if s.endswith("*"):
        return "%s%s" % (s, name)
    return "%s %s" % (s, name)


def c_declaration(name, sig, names):
    """``"int add(int a, int b)"``: the C declaration of a function, with parameter names."""
    ps = [_c_decl(t, n) for t, n in zip(sig.params, names)]
    if sig.variadic:
        ps.append("...")
    ret = sig.ret
    return "%s%s%s(%s)" % (ret, "" if ret.endswith("*") else " ", name, ", ".join(ps) or "void")


_ctypes_call = ctypes._CFuncPtr.__call__


def _call_reraising_overflow(self, *args):
    try:
        return _ctypes_call(self, *args)
    except ctypes.ArgumentError:
        err = ARG_ERRORS.error
        if err is None:
            raise
        ARG_ERRORS.error = None
        raise err from None


def _closed_errcheck(result, func, args):
    raise ClosedError("cfree: this function belongs to a Jit that was closed")


class _Pending(threading.local):
    """Per thread: the first exception a Python callback raised, until it is re-raised.
    (A class default, so reading it never raises AttributeError: errcheck reads it per call.)"""

    error = None


class _Uncallable:
    """What ``Jit.function`` returns for a function whose type ctypes cannot express (a struct
    or union by value, ``__int128``, ``va_list``): calling it raises TypeError."""

    def __init__(self, name, c_type, address, jit, reason):
        self.__name__ = name
        self.c_type = c_type
        self.address = address
        self.jit = jit
        self._reason = reason

    def __call__(self, *args, **kwargs):
        raise TypeError(
            self._reason + "; call it through ctypes yourself with the address: "
            "ctypes.CFUNCTYPE(...)(jit.lookup(%r))" % self.__name__
        )

    def __repr__(self):
        return "<cfree uncallable function %s: %s>" % (self.__name__, self.c_type)


class Jit:
    """A live in-memory C image (``CfreeJit``): compile C into it, call its functions, give it
    Python callbacks, and hot-reload functions while they run.

    ``Jit(reloadable=False, opt_level=0, debug=False, include_dirs=(), defines=(),
    libraries=(), library_dirs=(), lazy=False)``

    * ``reloadable``: every exported function gets a stable entry that jumps through a slot,
      so :meth:`reload` can replace its body (``CFREE_JIT_INDIRECT_EXPORTED_FUNCS``; calls
      cost one extra indirect jump);
    * ``opt_level``: 0 for no optimisation, anything else optimises for speed;
    * ``debug``: emit DWARF (for gdb and perf);
    * ``include_dirs`` (``-I``), ``defines`` (``-D``: ``"NAME"`` / ``"NAME=VALUE"`` strings or
      a dict ``{"NAME": value or None}``), ``libraries`` (``-l``: ``"m"`` for libm),
      ``library_dirs`` (``-L``);
    * ``lazy``: :meth:`add_source` analyses the text now and compiles each function the first
      time it is called (``cfree run -flazy``; x86-64 hosts); its compiler warnings are not
      reported.

    Use it as a context manager (``with cfree.Jit() as jit:``) or call :meth:`close`: closing
    runs the image's exit handlers and unmaps it. A Jit that is garbage-collected without
    being closed is closed then. Function objects keep their Jit alive; after ``close`` they
    raise :class:`ClosedError` instead of running freed code (raw addresses from
    :meth:`lookup` just dangle).

    Functions are reached with :meth:`function`, ``jit["name"]`` or ``jit.name`` (attribute
    access works for names that do not start with ``_`` and are not attributes of Jit; it is
    cached, so the next ``jit.name`` is a plain attribute read). The object returned *is* a
    ctypes function object with ``argtypes``/``restype`` derived from the C type cfree
    recorded, so calling it costs what any ctypes call costs.

    Threads: libcfree serialises the calls on one Jit with a mutex, and the binding holds a
    Python lock around each operation and the read of its error message, so one Jit may be
    used from several threads: compiling, appending, reloading, looking up and calling. JIT
    functions run without any lock (and without the GIL), concurrently with each other and
    with a reload of the function they run (each call runs the old body or the new one).
    Compiling, appending and reloading also release the GIL. Do not close a Jit while another
    thread still uses it. Code running inside :meth:`add_source` (constructors),
    :meth:`reload` or :meth:`close` (exit handlers) must not call management methods of the
    same Jit: that raises :class:`Error` instead of deadlocking.
    """

    def __init__(
        self,
        reloadable: bool = False,
        opt_level: int = 0,
        debug: bool = False,
        include_dirs: Iterable[StrPath] = (),
        defines: Iterable[str] | Mapping[str, object] = (),
        libraries: Iterable[str] = (),
        library_dirs: Iterable[StrPath] = (),
        lazy: bool = False,
    ) -> None:
        self._handle = None
        self._lock = threading.Lock()
        self._owner = None
        self._reloadable = bool(reloadable)
        self._lazy = bool(lazy)
        # Python callbacks and host objects registered with add_symbol: C code may call or
        # read them until the image is gone.
        self._keep = []
        # name (or (name, declaration)) -> callable handed out by function()
        self._functions = {}
        # every ctypes function object handed out (id -> weakref), poisoned by close()
        self._handed_out = {}
        self._prune_at = 64
        self._cached_attrs = set()
        # exceptions raised by Python callbacks, per thread, re-raised after the outer call
        self._pending = _Pending()
        self._errcheck = None
        # C types from libcfree's layouts (struct classes, checked arrays); raw layouts and
        # constants cached until the declarations change (add_source, declare, reload).
        self._space = TypeSpace(self._layout)
        self._layouts = {}
        self._constants = None
        self._query_ok = False
        # Python callables passed as function-pointer arguments: (id, prototype) ->
        # (callable, ctypes callback), kept as long as the Jit (C may keep the pointer).
        self._callbacks = {}

        opts = _lib.CfreeJitOptions()
        opts.indirection = (
            _lib.CFREE_JIT_INDIRECT_EXPORTED_FUNCS if reloadable else _lib.CFREE_JIT_INDIRECT_NONE
        )
        opts.opt_level = int(opt_level)
        opts.debug = 1 if debug else 0
        opts.lazy = 1 if lazy else 0
        lists = (
            ("include_dirs", include_dirs),
            ("defines", _defines(defines)),
            ("libraries", libraries),
            ("library_dirs", library_dirs),
        )
        alive = []  # the arrays and strings must outlive cfree_jit_new
        for field, values in lists:
            arr = _cstr_array(values, field)
            alive.append(arr)
            setattr(opts, field, ctypes.cast(arr[0], ctypes.POINTER(c_char_p)))
        handle = lib.cfree_jit_new(byref(opts))
        if not handle:
            # The error of a call without a JIT is kept per OS thread: read it right away.
            msg = lib.cfree_jit_last_error(None)
            kind = lib.cfree_jit_last_error_kind(None)
            raise error_for(kind, (msg or b"").decode("utf-8", "replace"))
        self._handle = handle

    # ---- locking and errors -------------------------------------------------------------

    def _begin(self):
        """Take the Jit's lock; returns the handle. Raises if closed or re-entered."""
        me = threading.get_ident()
        if self._owner == me:
            raise Error(
                "cfree: re-entrant call into the Jit from code it is running (a constructor, "
                "exit handler or callback run by add_source, reload or close)"
            )
        self._lock.acquire()
        if self._handle is None:
            self._lock.release()
            raise ClosedError("cfree: the Jit is closed")
        self._owner = me
        return self._handle

    def _end(self):
        self._owner = None
        self._lock.release()

    def _error(self, handle):
        """The exception for the call that just failed (call with the lock held)."""
        kind = lib.cfree_jit_last_error_kind(handle)
        msg = lib.cfree_jit_last_error(handle)
        return error_for(kind, (msg or b"").decode("utf-8", "replace"))

    def _raise_pending(self):
        err = self._pending.error
        if err is not None:
            self._pending.error = None
            raise err

    # ---- lifetime -----------------------------------------------------------------------

    def close(self) -> None:
        """Run the image's exit handlers and unmap it. Idempotent.

        Function objects handed out by this Jit raise :class:`ClosedError` afterwards.
        """
        me = threading.get_ident()
        if self._owner == me:
            raise Error("cfree: close() called from code the Jit is running")
        with self._lock:
            handle = self._handle
            if handle is None:
                return
            self._owner = me
            try:
                # Poison first: once the image is gone no handed-out object may reach it.
                for ref in list(self._handed_out.values()):
                    f = ref()
                    if f is not None:
                        c_void_p.from_address(ctypes.addressof(f)).value = _TRAP_ADDRESS
                        f.errcheck = _closed_errcheck
                self._handed_out.clear()
                lib.cfree_jit_free(handle)
            finally:
                self._handle = None
                self._owner = None
        for name in self._cached_attrs:
            self.__dict__.pop(name, None)
        self._cached_attrs.clear()
        self._functions.clear()
        self._keep = []  # only now: exit handlers may have called the callbacks
        self._raise_pending()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._handle is None

    def __enter__(self):
        if self._handle is None:
            raise ClosedError("cfree: the Jit is closed")
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        # At interpreter exit, threads may still be running JIT code: leave it mapped.
        if getattr(self, "_handle", None) is not None and not sys.is_finalizing():
            try:
                self.close()
            except Exception:
                pass

    def __reduce__(self):
        raise TypeError("a cfree.Jit cannot be pickled or copied")

    def __repr__(self):
        if self._handle is None:
            return "<cfree.Jit closed>"
        return "<cfree.Jit%s at %#x>" % (" reloadable" if self._reloadable else "", self._handle)

    # ---- building the image -------------------------------------------------------------

    @property
    def reloadable(self) -> bool:
        """Whether the Jit was created with ``reloadable=True``."""
        return self._reloadable

    @property
    def generation(self) -> int:
        """+1 per successful :meth:`add_source` or :meth:`reload`; 0 for a new Jit."""
        handle = self._begin()
        try:
            return lib.cfree_jit_generation(handle)
        finally:
            self._end()

    def _compile(self, handle, source, filename):
        obj = lib.cfree_compile(handle, filename, source)
        if not obj:
            raise self._error(handle)
        return obj

    def add_source(self, source: str | bytes, filename: StrPath = "<string>") -> None:
        """Compile C ``source`` (str or bytes) and link it into the image, next to everything
        already there (nothing moves), then run its constructors.

        ``filename`` names the source in error messages and debug info. Raises
        :class:`CompileError` (``file.c:LINE:COL`` and a caret) or :class:`LinkError`
        (unresolved or duplicate symbols, named); the image is then unchanged. Compiler
        warnings are issued as :class:`CompileWarning` through :mod:`warnings`.
        """
        src = _cstr(source, "source")
        name = _cstr(filename, "filename")
        handle = self._begin()
        if self._lazy:
            # Analysed now, compiled function by function on first calls (no object to
            # read warnings from: a lazy Jit's add_source reports errors only).
            try:
                if lib.cfree_jit_add_source(handle, name, src) != 0:
                    raise self._error(handle)
            finally:
                self._end()
            self._declarations_changed()
            self._raise_pending()
            return
        try:
            obj = self._compile(handle, src, name)
            try:
                warned = lib.cfree_obj_warnings(obj)
                if lib.cfree_jit_append_obj(handle, obj) != 0:
                    raise self._error(handle)
            finally:
                lib.cfree_obj_free(obj)
        finally:
            self._end()
        self._declarations_changed()
        if warned:
            warnings.warn(CompileWarning(warned.decode("utf-8", "replace").rstrip()), stacklevel=2)
        self._raise_pending()

    def reload(
        self,
        name: str,
        source: str | bytes,
        filename: StrPath = "<reload>",
        unchecked_abi: bool = False,
    ) -> None:
        """Replace the body of function ``name`` with the one ``source`` defines.

        The Jit must be ``reloadable``. The replacement must define exactly that function
        (static helpers and read-only data are fine) with the same calling convention. The
        function's address does not change: function objects, ``lookup`` addresses and
        function pointers held by C all run the new body from now on, and calls already
        running the old body finish there. Raises :class:`ReloadError` (ABI mismatch,
        rejected replacement, not reloadable), :class:`CompileError` or :class:`LinkError`;
        the old body then stays active. ``unchecked_abi=True`` skips the ABI comparison.
        """
        sym = _cstr(name, "name")
        src = _cstr(source, "source")
        fname = _cstr(filename, "filename")
        handle = self._begin()
        try:
            obj = self._compile(handle, src, fname)
            try:
                opts = _lib.CfreeJitReloadOptions(
                    sym, obj, _lib.CFREE_RELOAD_UNCHECKED_ABI if unchecked_abi else 0
                )
                if lib.cfree_jit_reload_function(handle, byref(opts)) != 0:
                    raise self._error(handle)
            finally:
                lib.cfree_obj_free(obj)
            # The address is the same, but the type may be spelled differently: re-derive it.
            stale = [k for k in self._functions if k == name or (type(k) is tuple and k[0] == name)]
            for key in stale:
                self._functions.pop(key, None)
            if name in self._cached_attrs:
                self.__dict__.pop(name, None)
                self._cached_attrs.discard(name)
        finally:
            self._end()
        self._declarations_changed()
        self._raise_pending()

    def add_symbol(self, name: str, target: object, declaration: str | None = None) -> None:
        """Make ``name`` resolve to ``target`` in code added from now on.

        ``target`` is one of:

        * a Python callable: ``declaration`` is required, a C declaration of the function
          (``"void log_value(int)"``) whose name must be ``name``; arguments are converted as
          its types say (``char *`` arrives as ``bytes``, other pointers as ``int``). The
          ctypes callback is kept alive as long as the Jit. An exception raised by the callback
          cannot cross C: the callback returns 0 (or NULL / nothing) to C, and the exception is
          re-raised in Python when the call into the Jit that led to it (made through this
          binding, on the same thread) returns;
        * a ctypes function pointer (``CFUNCTYPE`` instance) or a ctypes data object
          (``c_int``, array, structure...): its address is used and the object kept alive;
        * an ``int`` address (``declaration`` optional, only checked).

        Then declare it in C as usual (``void log_value(int);``, ``extern int counter;``).
        """
        sym = _cstr(name, "name")
        keep = None
        python_callback = False
        if isinstance(target, bool):
            raise TypeError("add_symbol: target must be a callable, a ctypes object or an int address")
        if isinstance(target, int):
            address = target
            if declaration is not None:
                self._declared_type(name, declaration)
        elif isinstance(target, ctypes._CFuncPtr):
            address = ctypes.cast(target, c_void_p).value
            keep = target
        elif isinstance(target, _CDATA):
            address = ctypes.addressof(target)
            keep = target
        elif callable(target):
            if declaration is None:
                raise TypeError(
                    "add_symbol(%r, callable) needs declaration=, the function's C declaration "
                    "(e.g. \"void %s(int)\")" % (name, name)
                )
            c_type = self._declared_type(name, declaration)
            restype, argtypes = callback_types(
                parse_function_type(c_type), "callback %s (%s)" % (name, c_type)
            )
            keep = CFUNCTYPE(restype, *argtypes)(self._trampoline(target, restype))
            address = ctypes.cast(keep, c_void_p).value
            python_callback = True
        else:
            raise TypeError(
                "add_symbol: target must be a callable, a ctypes object or an int address, not %s"
                % type(target).__name__
            )
        handle = self._begin()
        try:
            if lib.cfree_jit_add_symbol(handle, sym, address) != 0:
                raise self._error(handle)
            if keep is not None:
                self._keep.append(keep)
            if python_callback:
                self._enable_callback_errors()
        finally:
            self._end()

    def _trampoline(self, fn, restype):
        pending = self._pending

        if restype is None:

            def trampoline(*args):
                try:
                    fn(*args)
                except BaseException as e:
                    if pending.error is None:
                        pending.error = e

        else:

            def trampoline(*args):
                try:
                    # Convert here, so a bad return value is reported like any exception.
                    return restype(fn(*args)).value
                except BaseException as e:
                    if pending.error is None:
                        pending.error = e
                    return 0

        trampoline.__name__ = getattr(fn, "__name__", "callback")
        return trampoline

    def _enable_callback_errors(self):
        """From the first Python callback on, calls re-raise the callbacks' exceptions."""
        if self._errcheck is not None:
            return
        pending = self._pending

        def errcheck(result, func, args):
            err = pending.error
            if err is not None:
                pending.error = None
                raise err
            return result

        self._errcheck = errcheck
        for f in self._functions.values():
            f = getattr(f, "ctypes_function", f)
            if isinstance(f, ctypes._CFuncPtr):
                f.errcheck = errcheck

    # ---- types --------------------------------------------------------------------------

    def function_type(self, name: str) -> str | None:
        """The C type cfree recorded for function ``name`` (``"int (int, double)"``), or None
        when cfree did not compile such a function."""
        sym = _cstr(name, "name")
        handle = self._begin()
        try:
            t = lib.cfree_jit_function_type(handle, sym)
            return None if t is None else t.decode("utf-8", "replace")
        finally:
            self._end()

    def declaration_type(self, declaration: str) -> tuple[str, str]:
        """Parse one C function declaration: ``"void log_value(int)"`` gives
        ``("log_value", "void (int)")``. Raises :class:`CompileError` for anything else."""
        decl = _cstr(declaration, "declaration")
        name = c_char_p()
        handle = self._begin()
        try:
            t = lib.cfree_declaration_type(handle, decl, byref(name))
            if t is None:
                raise self._error(handle)
            return name.value.decode("utf-8", "replace"), t.decode("utf-8", "replace")
        finally:
            self._end()

    def _declared_type(self, name, declaration):
        declared, c_type = self.declaration_type(declaration)
        if declared != name:
            raise InvalidArgumentError(
                "cfree: the declaration %r declares `%s`, not `%s`" % (declaration, declared, name)
            )
        return c_type

    # ---- reading the image --------------------------------------------------------------

    def lookup(self, name: str) -> int | None:
        """The address (int) of global symbol ``name`` — for a reloadable function its stable
        entry — or None when the image has no such symbol."""
        sym = _cstr(name, "name")
        handle = self._begin()
        try:
            return lib.cfree_jit_lookup(handle, sym)
        finally:
            self._end()

    def resolve(self, name: str) -> int | None:
        """The address (int) C code appended now would get for ``name``: the image's symbol,
        else a host symbol, libc or a ``libraries=`` library; None if none has it."""
        sym = _cstr(name, "name")
        handle = self._begin()
        try:
            return lib.cfree_jit_resolve(handle, sym)
        finally:
            self._end()

    def __contains__(self, name: str) -> bool:
        return self.lookup(name) is not None

    def function(self, name: str, declaration: str | None = None) -> Callable[..., Any]:
        """Function ``name`` as a Python callable, typed from the C type cfree recorded.

        For an ordinary function this is a ctypes function object (``argtypes`` and
        ``restype`` set; attributes ``c_type``, ``address`` and ``jit``), cached per name until
        the function is reloaded. A variadic function gives a small wrapper: the fixed
        parameters are typed, extra arguments follow :func:`cfree._types.vararg` (int -> long,
        float -> double, bytes/str -> char *, None -> NULL, buffers -> pointers). A function
        that passes or returns a struct by value gives an object whose call raises TypeError.

        ``declaration`` (``"int printf(const char *, ...)"``) types a symbol cfree did not
        compile, e.g. one registered with :meth:`add_symbol`. Raises
        :class:`SymbolNotFoundError` (a ``KeyError``) when the image has no such symbol.
        """
        key = name if declaration is None else (name, declaration)
        f = self._functions.get(key)
        if f is not None:
            return f
        sym = _cstr(name, "name")
        if declaration is not None:
            c_type = self._declared_type(name, declaration)
        handle = self._begin()
        try:
            address = lib.cfree_jit_lookup(handle, sym)
            if address is None and (
                declaration is not None or lib.cfree_jit_function_type(handle, sym) is not None
            ):
                # Declared (jit.declare, or declaration=): where C code would reach it.
                address = lib.cfree_jit_resolve(handle, sym)
            if address is None:
                raise SymbolNotFoundError(
                    "cfree: `%s` is not defined in the image" % name, _lib.CFREE_ERR_LINK
                )
            if declaration is None:
                t = lib.cfree_jit_function_type(handle, sym)
                if t is None:
                    raise TypeError(
                        "cfree: `%s` is in the image but cfree did not compile it as a function "
                        "(a data or host symbol), so its C type is unknown; pass "
                        "declaration=\"...\"" % name
                    )
                c_type = t.decode("utf-8", "replace")
            self._query_ok = True
            try:
                f = self._make_function(name, c_type, address)
            finally:
                self._query_ok = False
            return self._functions.setdefault(key, f)
        finally:
            self._end()

    def _make_function(self, name, c_type, address):
        sig = parse_function_type(c_type)
        where = "cfree: `%s` (%s)" % (name, c_type)
        try:
            restype, argtypes, callbacks = self._call_types(sig, where)
        except TypeError as e:
            return _Uncallable(name, c_type, address, self, str(e))
        cfn = _prototype(restype, argtypes, sig.variadic)(address)
        cfn.__name__ = name
        cfn.c_type = c_type
        cfn.address = address
        cfn.jit = self
        if callbacks:
            # A Python callable may be passed: its exceptions are re-raised after the call.
            self._enable_callback_errors()
        if self._errcheck is not None:
            cfn.errcheck = self._errcheck
        names = self._param_names(name, len(sig.params))
        decl = c_declaration(name, sig, names)
        cfn.declaration = decl
        cfn.__doc__ = "%s;\n\ncfree JIT function, C type %s." % (decl, c_type)
        cfn.__signature__ = self._signature(sig, names, restype, argtypes)
        # Remembered (weakly) so close() can disarm it. Dead entries are pruned here, not by
        # weakref callbacks, so close() never sees the dict change under it.
        handed = self._handed_out
        handed[id(cfn)] = weakref.ref(cfn)
        if len(handed) > self._prune_at:
            for k in [k for k, r in handed.items() if r() is None]:
                del handed[k]
            self._prune_at = 2 * len(handed) + 64
        if not sig.variadic:
            return cfn
        nfixed = len(argtypes)

        def variadic(*args):
            if len(args) > nfixed:
                args = args[:nfixed] + tuple(vararg(a) for a in args[nfixed:])
            return cfn(*args)

        variadic.__name__ = name
        variadic.__qualname__ = name
        variadic.__doc__ = "%s;\n\ncfree JIT function (variadic), C type %s." % (decl, c_type)
        variadic.__signature__ = cfn.__signature__
        variadic.declaration = decl
        variadic.c_type = c_type
        variadic.address = address
        variadic.jit = self
        variadic.ctypes_function = cfn
        return variadic

    # ---- C types of calls ---------------------------------------------------------------

    def _enum_base(self, t):
        if t.startswith("enum "):
            info = self._layout(t)
            if info is not None and info.get("enum_base"):
                return info["enum_base"]
        return None

    def _call_types(self, sig, where):
        """(restype, argtypes, takes_callbacks) for a function of type ``sig``."""
        space = self._space
        if sig.ret == "void":
            restype = None
        else:
            restype = self._result_type(sig.ret, where + " returns")
        argtypes = []
        callbacks = False
        for i, p in enumerate(sig.params):
            w = "%s parameter %d" % (where, i + 1)
            p = " ".join(p.split())
            base = self._enum_base(p)
            if base is not None:
                p = base
            if is_char_pointer(p):
                argtypes.append(CharPointerArg)
                continue
            if is_pointer(p):
                fsig = space.function_pointer(p)
                arg = self._funcptr_arg(fsig, w) if fsig is not None else None
                callbacks = callbacks or arg is not None
                argtypes.append(arg or PointerArg)
                continue
            checked = int_arg(p)
            if checked is not None:
                argtypes.append(checked)
                continue
            t = scalar(p)
            if t is not None:
                argtypes.append(t)
                continue
            rec = space.by_value(p, w)
            if rec is None:
                raise _unsupported(p, w)
            argtypes.append(rec)
        return restype, argtypes, callbacks

    def _result_type(self, t, where):
        t = " ".join(t.split())
        base = self._enum_base(t)
        if base is not None:
            t = base
        if is_char_pointer(t):
            return c_char_p
        if is_pointer(t):
            target = t[:-1].strip()
            rec = self._space.record(target, required=False) if not target.endswith(")") else None
            return ctypes.POINTER(rec) if rec is not None else c_void_p
        st = scalar(t)
        if st is not None:
            return st
        rec = self._space.by_value(t, where)
        if rec is None:
            raise _unsupported(t, where)
        return rec

    def _funcptr_arg(self, fsig, where):
        """An argtypes entry for a function-pointer parameter that also takes a Python
        callable: wrapped once in a ctypes callback of the parameter's type and kept as long
        as the Jit (C may store the pointer and call it later). None if ctypes cannot make
        such a callback (the parameter then takes addresses and ctypes objects only)."""
        try:
            restype, argtypes = callback_types(fsig, where)
        except TypeError:
            return None
        proto = CFUNCTYPE(restype, *argtypes)
        jit = self

        class FunctionPointerArg:
            __doc__ = "A %s parameter: a Python callable, a function object or an address." % (
                "%s (*)(%s)" % (fsig.ret, ", ".join(fsig.params) or "void"))

            @staticmethod
            def from_param(obj):
                if (
                    obj is None
                    or isinstance(obj, (int, ctypes._CFuncPtr, ctypes._SimpleCData))
                    or not callable(obj)
                ):
                    return PointerArg.from_param(obj)
                address = getattr(obj, "address", None)
                if isinstance(address, int) and getattr(obj, "jit", None) is not None:
                    return address  # a (variadic) JIT function object
                key = (id(obj), proto)
                entry = jit._callbacks.get(key)
                if entry is None or entry[0] is not obj:
                    entry = (obj, proto(jit._trampoline(obj, restype)))
                    jit._callbacks[key] = entry
                return entry[1]

        return FunctionPointerArg

    def _param_names(self, name, count):
        """The definition's parameter names, or ``arg1``... where unknown or unusable."""
        names = None
        sym = _cstr(name, "name")
        n = ctypes.c_size_t()
        arr = lib.cfree_jit_param_names(self._handle, sym, byref(n)) if self._query_ok else None
        if arr and n.value == count:
            names = [(arr[i] or b"").decode("utf-8", "replace") for i in range(count)]
        out = []
        for i in range(count):
            cand = names[i] if names else ""
            if not cand.isidentifier() or cand.startswith("__") or cand in out or cand == "args":
                cand = "arg%d" % (i + 1)
            out.append(cand)
        return out

    @staticmethod
    def _annotation(ctype):
        if ctype is None:
            return None
        if ctype is c_char_p or ctype is CharPointerArg:
            return bytes
        if ctype is ctypes.c_bool:
            return bool
        if ctype in (ctypes.c_float, ctypes.c_double, ctypes.c_longdouble):
            return float
        if getattr(ctype, "ctype", None) is not None:  # a checked integer
            return int
        if isinstance(ctype, type) and issubclass(ctype, (ctypes.Structure, ctypes.Union)):
            return ctype
        if getattr(ctype, "__name__", "") == "FunctionPointerArg":
            return collections.abc.Callable
        if isinstance(ctype, type) and issubclass(ctype, ctypes._Pointer):
            return ctype
        if ctype is c_void_p or ctype is PointerArg:
            return int
        if isinstance(ctype, type) and issubclass(ctype, ctypes._SimpleCData):
            return int
        return inspect.Parameter.empty

    def _signature(self, sig, names, restype, argtypes):
        params = [
            inspect.Parameter(n, inspect.Parameter.POSITIONAL_ONLY, annotation=self._annotation(t))
            for n, t in zip(names, argtypes)
        ]
        if sig.variadic:
            params.append(inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL))
        return inspect.Signature(params, return_annotation=self._annotation(restype))

    # ---- declarations: layouts, globals, constants --------------------------------------

    def _declarations_changed(self):
        self._layouts.clear()
        self._constants = None
        self._space.reset()

    def _query(self, fn):
        """Run ``fn(handle)`` under the Jit's lock (or inside the caller's locked call)."""
        if self._query_ok and self._owner == threading.get_ident():
            return fn(self._handle)
        handle = self._begin()
        self._query_ok = True
        try:
            return fn(handle)
        finally:
            self._query_ok = False
            self._end()

    def _layout(self, spelling):
        """libcfree's layout of struct/union/enum ``spelling`` as a dict, or None."""
        if spelling in self._layouts:
            return self._layouts[spelling]

        def q(handle):
            out = _lib.CfreeTypeLayout()
            if lib.cfree_jit_type_layout(handle, _cstr(spelling, "type"), byref(out)) != 0:
                return None
            dec = lambda b: (b or b"").decode("utf-8", "replace")
            cls = {1: "struct", 2: "union", 3: "enum"}.get(out.type_class, "?")
            fields = []
            for i in range(out.nfields):
                f = out.fields[i]
                fields.append(
                    {
                        "name": dec(f.name),
                        "type": dec(f.type),
                        "offset": f.offset,
                        "bit_offset": f.bit_offset,
                        "bit_width": f.bit_width,
                        "bit_unit_size": f.bit_unit_size,
                    }
                )
            return {
                "class": cls,
                "name": dec(out.name),
                "size": out.size,
                "align": out.align,
                "fields": fields,
                "enum_base": dec(out.enum_base) if out.enum_base else None,
            }

        info = self._query(q)
        self._layouts[spelling] = info
        return info

    def declare(self, source: str | bytes) -> None:
        """Take C declarations into the Jit without compiling code (cffi's ``cdef``, but the
        text is parsed by cfree, so ``#include <math.h>`` works): function prototypes,
        ``extern`` variables, struct/union/enum/typedef definitions, ``#define``s.

        Declared functions are then called like compiled ones, at the address the linker
        would give C code: the image, host symbols, libc and the ``libraries=`` of the Jit::

            jit = cfree.Jit(libraries=["m"])
            jit.declare("double cos(double);")
            jit.cos(0.0)         # 1.0

        Raises :class:`CompileError` for text that does not compile or that defines an
        external function or variable (use :meth:`add_source` for definitions).
        """
        src = _cstr(source, "source")
        handle = self._begin()
        try:
            if lib.cfree_jit_declare(handle, src) != 0:
                raise self._error(handle)
        finally:
            self._end()
        self._declarations_changed()

    def type(self, spelling: str) -> type:
        """The ctypes type of C type ``spelling``, built from the compiler's layout:
        ``jit.type("struct point")`` (or a typedef name, ``"point_t"``) is a
        :class:`ctypes.Structure` subclass whose members sit at the compiler's offsets;
        ``"int [4]"`` a range-checked array type; ``"double"`` ``ctypes.c_double``.
        Raises TypeError for a type the compiled sources do not define."""
        name = " ".join(str(spelling).split())

        def q(handle):
            t = self._space.storage(name)
            return t

        try:
            return self._query(q)
        except TypeError:
            alias = self._query(lambda h: lib.cfree_jit_typedef(h, _cstr(name, "type")))
            if alias is None:
                raise
            return self._query(lambda h: self._space.storage(alias.decode("utf-8", "replace")))

    def sizeof(self, spelling: str) -> int:
        """``sizeof`` of C type ``spelling`` (the compiler's size for structs and unions)."""
        return ctypes.sizeof(self.type(spelling))

    def offsetof(self, spelling: str, member: str) -> int:
        """The compiler's offset of ``member`` in struct/union ``spelling``."""
        info = self._layout(" ".join(spelling.split()))
        if info is None or info["class"] == "enum":
            raise TypeError("%s is not a struct or union of the compiled sources" % spelling)
        for f in info["fields"]:
            if f["name"] == member:
                return f["offset"]
        for f in info["fields"]:
            if not f["name"] and not f["bit_width"]:  # an anonymous struct or union member
                try:
                    return f["offset"] + self.offsetof(f["type"], member)
                except (KeyError, TypeError):
                    pass
        raise KeyError("%s has no member %r" % (info["name"], member))

    @property
    def constants(self) -> Mapping[str, int]:
        """Every enumeration constant and integer ``#define`` of the compiled and declared
        sources (not of system headers), as a read-only mapping name -> int. Also reachable as
        ``jit.NAME`` when no function or global has that name."""
        if self._constants is None:
            found = {}
            failed = []

            def visit(c, _user):
                try:
                    k = c.contents
                    v = k.value & ((1 << 64) - 1) if k.is_unsigned else k.value
                    found[(k.name or b"").decode("utf-8", "replace")] = v
                    return 0
                except BaseException as e:  # cannot propagate through C
                    failed.append(e)
                    return 1

            cb = _lib.CONSTANT_CALLBACK(visit)

            def q(handle):
                r = lib.cfree_jit_constants(handle, cb, None)
                if failed:
                    raise failed[0]
                if r != 0:
                    raise self._error(handle)

            self._query(q)
            self._constants = types_MappingProxy(found)
        return self._constants

    def global_type(self, name: str) -> str | None:
        """The C type of global variable ``name`` (``"int"``, ``"struct point"``), or None."""
        return self._query(lambda h: self._global_type(h, name))[0]

    def _global_type(self, handle, name):
        is_const = ctypes.c_int()
        t = lib.cfree_jit_global_type(handle, _cstr(name, "name"), byref(is_const))
        return (None if t is None else t.decode("utf-8", "replace")), bool(is_const.value)

    def _global(self, name):
        """(ctype, address, is_const, spelling) of global ``name``, or None."""

        def q(handle):
            spelling, is_const = self._global_type(handle, name)
            if spelling is None:
                return None
            sym = _cstr(name, "name")
            address = lib.cfree_jit_lookup(handle, sym) or lib.cfree_jit_resolve(handle, sym)
            if not address:
                return None
            return self._space.storage(spelling), address, is_const, spelling

        return self._query(q)

    def _read_global(self, g):
        ctype, address, _, _ = g
        obj = ctype.from_address(address)
        if isinstance(obj, (ctypes.Structure, ctypes.Union, ctypes.Array, ctypes._Pointer)):
            obj._cfree_jit_ = self  # keep the image alive while the view is
            return obj
        return obj.value

    def _write_global(self, name, g, value):
        ctype, address, is_const, spelling = g
        if is_const:
            raise AttributeError("cfree: global `%s` is const (read-only)" % name)
        view = ctype.from_address(address)
        if isinstance(view, (ctypes.Structure, ctypes.Union)):
            if not isinstance(value, ctype):
                value = ctype.from_param(value)
            ctypes.memmove(address, ctypes.addressof(value), ctypes.sizeof(ctype))
        elif isinstance(view, ctypes.Array):
            if isinstance(value, (bytes, bytearray)) and ctype._type_ is ctypes.c_char:
                if len(value) > len(view):
                    raise ValueError("cfree: %d bytes do not fit in %s %s" % (len(value), spelling, name))
                ctypes.memmove(address, bytes(value), len(value))
                return
            value = list(value)
            if len(value) > len(view):
                raise ValueError("cfree: %d elements do not fit in %s %s" % (len(value), spelling, name))
            for i, v in enumerate(value):
                view[i] = v
        else:
            ii = self._space.int_info(spelling)
            if ii is not None:
                from ._cdata import int_range

                lo, hi = int_range(*ii)
                value = check_int(value, lo, hi, "global %s (%s)" % (name, spelling))
            if ctype is c_char_p and isinstance(value, str):
                value = value.encode("utf-8")
            if ctype is c_char_p and isinstance(value, bytes):
                value = ctypes.create_string_buffer(value)
                self._keep.append(value)  # C may keep the pointer: keep the bytes alive
                value = ctypes.addressof(value)
                ctypes.c_void_p.from_address(address).value = value
                return
            view.value = value

    def __setattr__(self, name, value):
        if name.startswith("_") or hasattr(type(self), name) or name in self.__dict__:
            object.__setattr__(self, name, value)
            return
        g = self._global(name) if self._handle is not None else None
        if g is None:
            object.__setattr__(self, name, value)
            return
        self._write_global(name, g, value)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: never shadows methods or attributes.
        # Order: a function, else a global variable (read each time: it changes), else a
        # constant (enumerator or integer #define).
        if name.startswith("_") or "_handle" not in self.__dict__:
            raise AttributeError(name)
        if self.function_type(name) is None:
            g = self._global(name)
            if g is not None:
                return self._read_global(g)
            consts = self.constants
            if name in consts:
                return consts[name]
        try:
            f = self.function(name)
        except SymbolNotFoundError:
            raise AttributeError(
                "'Jit' object has no attribute %r and the image defines no symbol %r"
                % (name, name)
            ) from None
        self.__dict__[name] = f
        self._cached_attrs.add(name)
        return f

    def __getitem__(self, name: str) -> Callable[..., Any]:
        return self.function(name)

    def symbols(self) -> list[Symbol]:
        """Every function and data symbol of the image, as a list of :class:`Symbol`."""
        found = []
        failed = []

        def visit(info, _user):
            try:
                s = info.contents
                found.append(
                    Symbol(
                        (s.name or b"").decode("utf-8", "replace"),
                        s.addr or 0,
                        s.size,
                        bool(s.is_function),
                    )
                )
                return 0
            except BaseException as e:  # cannot propagate through C
                failed.append(e)
                return 1

        callback = _lib.SYMBOL_CALLBACK(visit)
        handle = self._begin()
        try:
            r = lib.cfree_jit_symbols(handle, callback, None)
            if failed:
                raise failed[0]
            if r != 0:
                raise self._error(handle)
        finally:
            self._end()
        return found

    def addr_to_sym(self, address: object) -> tuple[str, int] | None:
        """``(name, offset)`` of the symbol containing ``address`` (an int, or a function
        object), or None when it is not in the image. Old bodies of reloaded functions are
        named ``"name$body$N"``."""
        if not isinstance(address, int):
            address = getattr(address, "address", None) or ctypes.cast(address, c_void_p).value
        name = c_char_p()
        offset = c_uint64()
        handle = self._begin()
        try:
            if lib.cfree_jit_addr_to_sym(handle, address, byref(name), byref(offset)) != 0:
                return None
            return name.value.decode("utf-8", "replace"), offset.value
        finally:
            self._end()

    def view(self) -> bytes:
        """The image as an in-memory ELF file (``bytes``): sections at their run-time addresses
        and every symbol, old bodies included; for debuggers and inspectors."""
        data = c_void_p()
        size = ctypes.c_size_t()
        handle = self._begin()
        try:
            if lib.cfree_jit_view(handle, byref(data), byref(size)) != 0:
                raise self._error(handle)
            return ctypes.string_at(data.value, size.value)
        finally:
            self._end()
