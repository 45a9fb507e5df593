"""C types built from the compiler's own declarations: struct and union classes, checked
integers, arrays, typed pointers.

Nothing here parses C or computes a layout. libcfree reports every struct and union the
compiled sources define (``cfree_jit_type_layout``: size, alignment, each member's name, type
and *offset*, bit-fields), and :class:`TypeSpace` turns that into :mod:`ctypes` classes whose
members sit exactly at the compiler's offsets (explicit padding where needed; a class whose
ctypes layout would differ anyway, e.g. a packed struct, is built byte-exact and refused by
value). Types are named by their C spelling, as libcfree spells them: ``"int"``,
``"struct point"``, ``"point_t"``, ``"double [4]"``, ``"int (int) *"``.

Integer members, array elements and globals are range-checked on assignment: a value that
does not fit the C type raises :class:`OverflowError` instead of wrapping.
"""

from __future__ import annotations

import ctypes
import operator
import threading

from ._types import is_pointer, parse_function_type, scalar

_INT_BITS = {
    "char": (8, True),
    "signed char": (8, True),
    "unsigned char": (8, False),
    "short": (16, True),
    "unsigned short": (16, False),
    "int": (32, True),
    "unsigned int": (32, False),
    "long": (64, True),
    "unsigned long": (64, False),
    "long long": (64, True),
    "unsigned long long": (64, False),
}


def int_range(bits: int, signed: bool) -> tuple[int, int]:
    """(min, max) of a C integer of ``bits`` bits."""
    if signed:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def check_int(value: object, lo: int, hi: int, what: str) -> int:
    """``value`` as a Python int in [lo, hi]; OverflowError outside, TypeError if no int."""
    try:
        v = operator.index(value)
    except TypeError:
        raise TypeError("%s: expected an integer, not %s" % (what, type(value).__name__)) from None
    if not lo <= v <= hi:
        raise OverflowError("%s: %d does not fit (range %d..%d)" % (what, v, lo, hi))
    return v


class _ArgErrors(threading.local):
    """Per thread: the OverflowError an argument conversion raised, which ctypes would
    otherwise turn into a ctypes.ArgumentError (see ``Jit``'s function class)."""

    error = None


ARG_ERRORS = _ArgErrors()


def _checked_int_arg(ctype, lo, hi, c_name):
    """An ``argtypes`` entry that range-checks before handing ctypes the value."""

    def from_param(cls, value):
        if type(value) is int and lo <= value <= hi:
            return ctype(value)
        try:
            return ctype(check_int(value, lo, hi, "C %s argument" % c_name))
        except OverflowError as e:
            ARG_ERRORS.error = e
            raise

    return type(
        "checked_" + c_name.replace(" ", "_"),
        (),
        {
            "from_param": classmethod(from_param),
            "ctype": ctype,
            "c_name": c_name,
            "__doc__": "A %s argument: an int in %d..%d (OverflowError outside)." % (c_name, lo, hi),
        },
    )


_ARG_CACHE = {}


def int_arg(c_name):
    """The checked argtypes entry of integer type ``c_name`` (cached), or None."""
    bits = _INT_BITS.get(c_name)
    if bits is None:
        return None
    t = _ARG_CACHE.get(c_name)
    if t is None:
        lo, hi = int_range(*bits)
        t = _ARG_CACHE[c_name] = _checked_int_arg(scalar(c_name), lo, hi, c_name)
    return t


def _values(obj):
    """Plain Python values of a ctypes struct/union/array (for ``==`` and ``repr``)."""
    if isinstance(obj, (ctypes.Structure, ctypes.Union)):
        return tuple(_values(getattr(obj, n)) for n in type(obj)._cfree_names_)
    if isinstance(obj, ctypes.Array):
        if obj._type_ is ctypes.c_char:
            return obj.raw
        return tuple(_values(x) for x in obj)
    return obj


def _record_repr(self):
    parts = []
    for n in type(self)._cfree_names_:
        v = getattr(self, n)
        if isinstance(v, ctypes.Array) and v._type_ is not ctypes.c_char:
            v = list(_values(v))
        parts.append("%s=%r" % (n, v))
    return "%s(%s)" % (type(self)._cfree_spelling_, ", ".join(parts))


def _record_eq(self, other):
    if type(other) is not type(self):
        return NotImplemented
    return _values(self) == _values(other)


class _Bitfield:
    """A bit-field member: ``width`` bits from bit ``bit`` of the ``unit`` bytes at
    ``offset`` (little-endian, as on every target cfree has), sign-extended when signed."""

    def __init__(self, name, offset, bit, width, unit, signed, limit):
        self.name = name
        self.offset = offset
        self.bit = bit
        self.width = width
        self.unit = max(1, min(unit, limit - offset))
        self.signed = signed
        self.lo, self.hi = int_range(width, signed) if width else (0, 0)

    def _raw(self, obj):
        return int.from_bytes(
            ctypes.string_at(ctypes.addressof(obj) + self.offset, self.unit), "little"
        )

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        v = (self._raw(obj) >> self.bit) & ((1 << self.width) - 1)
        if self.signed and v >> (self.width - 1):
            v -= 1 << self.width
        return v

    def __set__(self, obj, value):
        v = check_int(value, self.lo, self.hi, "bit-field %s (%d bits)" % (self.name, self.width))
        mask = ((1 << self.width) - 1) << self.bit
        raw = (self._raw(obj) & ~mask) | ((v << self.bit) & mask)
        ctypes.memmove(
            ctypes.addressof(obj) + self.offset, raw.to_bytes(self.unit, "little"), self.unit
        )


def _checked_array(elem, n, lo, hi, c_name):
    """``elem * n`` whose item assignment range-checks."""
    base = elem * n

    def __setitem__(self, i, value):
        if isinstance(i, slice):
            value = [check_int(v, lo, hi, "%s element" % c_name) for v in value]
        else:
            value = check_int(value, lo, hi, "%s element" % c_name)
        base.__setitem__(self, i, value)

    return type(
        "%s_Array_%d" % (c_name.replace(" ", "_"), n),
        (base,),
        {"__setitem__": __setitem__, "__eq__": _record_eq, "_cfree_names_": ()},
    )


class TypeSpace:
    """The C types of one Jit, built on demand from libcfree's layouts.

    ``layout(spelling)`` returns libcfree's description of a struct, union or enum (a dict,
    see ``Jit._layout``) or None. Classes are cached until :meth:`reset` (called when the
    Jit's declarations change).
    """

    def __init__(self, layout):
        self._layout = layout
        self.reset()

    def reset(self):
        self._storage = {}
        self._records = {}

    # ---- storage types: members, globals, array elements -------------------------------

    def int_info(self, spelling):
        """(bits, signed) of an integer type (enums through their base), or None."""
        s = " ".join(spelling.split())
        if s in _INT_BITS:
            return _INT_BITS[s]
        if s.startswith("enum "):
            info = self._layout(s)
            if info is not None and info.get("enum_base"):
                return _INT_BITS.get(info["enum_base"])
        return None

    def storage(self, spelling):
        """The ctypes type of an object of C type ``spelling``; TypeError if there is none."""
        s = " ".join(spelling.split())
        t = self._storage.get(s)
        if t is None:
            t = self._storage[s] = self._make_storage(s)
        return t

    def _make_storage(self, s):
        if s.endswith("]"):
            elem_s, _, n = s[:-1].rpartition("[")
            elem_s = elem_s.strip()
            n = n.strip()
            count = int(n) if n.isdigit() else 0  # flexible or unknown: no elements
            if elem_s == "char":
                return ctypes.c_char * count
            elem = self.storage(elem_s)
            ii = self.int_info(elem_s)
            if ii is not None:
                lo, hi = int_range(*ii)
                return _checked_array(elem, count, lo, hi, elem_s)
            return elem * count
        if is_pointer(s):
            target = s[:-1].strip()
            if target in ("char", "signed char", "unsigned char"):
                return ctypes.c_char_p
            if target.endswith(")") or target == "void":
                return ctypes.c_void_p
            rec = self.record(target, required=False)
            if rec is not None:
                return ctypes.POINTER(rec)
            if scalar(target) is not None or self.int_info(target) is not None:
                return ctypes.POINTER(self.storage(target))
            return ctypes.c_void_p
        t = scalar(s)
        if t is not None:
            return t
        ii = self.int_info(s)
        if ii is not None:  # an enum
            return scalar({8: "signed char", 16: "short", 32: "int", 64: "long"}[ii[0]] if ii[1]
                          else {8: "unsigned char", 16: "unsigned short", 32: "unsigned int",
                                64: "unsigned long"}[ii[0]])
        rec = self.record(s, required=False)
        if rec is not None:
            return rec
        if s.endswith(")"):
            raise TypeError("%s is a function type, not an object type" % s)
        raise TypeError("no ctypes type for C type %r (not a struct, union or enum the "
                        "compiled sources define, nor a scalar ctypes can hold)" % s)

    # ---- records -----------------------------------------------------------------------

    def record(self, spelling, required=True):
        """The ctypes class of struct/union ``spelling`` (or a typedef of one)."""
        s = " ".join(spelling.split())
        cls = self._records.get(s)
        if cls is not None:
            return cls
        info = self._layout(s)
        if info is None or info["class"] == "enum":
            if required:
                raise TypeError(
                    "%s: no such struct or union in the compiled sources (or it is incomplete)" % s
                )
            return None
        canonical = info["name"]
        cls = self._records.get(canonical)
        if cls is None:
            cls = self._build(info)
        self._records[s] = cls
        return cls

    def _build(self, info):
        is_union = info["class"] == "union"
        spelling = info["name"]
        size = info["size"]
        base = ctypes.Union if is_union else ctypes.Structure
        pyname = spelling.replace("struct ", "").replace("union ", "")
        pyname = "".join(c if c.isalnum() or c == "_" else "_" for c in pyname) or "anonymous"
        ns = {
            "__doc__": "C %s (%d bytes, alignment %d), generated from the compiler's layout."
            % (spelling, size, info["align"]),
            "_cfree_spelling_": spelling,
            "__module__": "cfree",
            # In the namespace, not assigned later: ctypes' Union metaclass does not update
            # special-method slots set after creation. They delegate to per-class functions.
            "__init__": lambda self, *a, **k: type(self)._cfree_init_(self, *a, **k),
            "__setattr__": lambda self, n, v: type(self)._cfree_setattr_(self, n, v),
            "__repr__": _record_repr,
            "__eq__": _record_eq,
            "__hash__": None,
        }
        cls = type(pyname, (base,), ns)
        # Cache before building members: a member may point back to this type.
        self._records[spelling] = cls
        fields = []  # (name, ctype, offset)
        anonymous = []
        ranges = {}
        names = []
        why_not_by_value = None
        for i, f in enumerate(info["fields"]):
            name = f["name"]
            if not name and not f["bit_width"] and self.record(f["type"], required=False) is None:
                continue  # a zero-width bit-field: padding only
            if f["bit_width"]:
                if name:
                    ii = self.int_info(f["type"]) or (8, False)
                    signed = ii[1] and f["type"] != "_Bool"
                    setattr(cls, name, _Bitfield(name, f["offset"], f["bit_offset"],
                                                 f["bit_width"], f["bit_unit_size"], signed, size))
                    names.append(name)
                continue
            try:
                ft = self.storage(f["type"])
            except TypeError as e:
                raise TypeError("%s member %s: %s" % (spelling, name or "#%d" % i, e)) from None
            if not name:
                name = "_anon%d" % i
                anonymous.append(name)
                names.append(name)
                ranges.update(getattr(ft, "_cfree_ranges_", {}))
            else:
                names.append(name)
                ii = self.int_info(f["type"])
                if ii is not None:
                    ranges[name] = int_range(*ii) + (f["type"],)
            if getattr(ft, "_cfree_by_value_error_", None):
                why_not_by_value = ft._cfree_by_value_error_
            if isinstance(ft, type) and issubclass(ft, ctypes.Union):
                why_not_by_value = "it contains a union (libffi cannot pass unions by value)"
            fields.append((name, ft, f["offset"]))
        natural = self._place(fields, size, is_union)
        if anonymous:
            cls._anonymous_ = anonymous  # (ctypes wants it before _fields_)
        if natural is not None:
            cls._fields_ = natural
            ok = ctypes.sizeof(cls) == size and all(
                getattr(cls, n).offset == off for n, _, off in fields
            )
        else:
            ok = False
        if not ok:
            # Packed or over-aligned: byte-exact layout, not passable by value.
            cls = type(pyname, (base,), dict(ns, _pack_=1))
            self._records[spelling] = cls
            for i, f in enumerate(info["fields"]):
                if f["bit_width"] and f["name"]:
                    ii = self.int_info(f["type"]) or (8, False)
                    setattr(cls, f["name"], _Bitfield(f["name"], f["offset"], f["bit_offset"],
                                                      f["bit_width"], f["bit_unit_size"],
                                                      ii[1] and f["type"] != "_Bool", size))
            if anonymous:
                cls._anonymous_ = anonymous
            cls._fields_ = self._place(fields, size, is_union, packed=True)
            why_not_by_value = "its layout is packed or over-aligned, which libffi cannot pass"
        elif ctypes.alignment(cls) != info["align"]:
            why_not_by_value = "it is over-aligned (alignment %d), which libffi cannot pass" % info["align"]
        if is_union:
            why_not_by_value = "libffi cannot pass unions by value"
        cls._cfree_names_ = tuple(names)
        cls._cfree_ranges_ = ranges
        cls._cfree_by_value_error_ = why_not_by_value
        cls._cfree_layout_ = info
        base_setattr = base.__setattr__
        arrays = {n: ft for n, ft, _ in fields if isinstance(ft, type) and issubclass(ft, ctypes.Array)}
        records = {
            n: ft
            for n, ft, _ in fields
            if isinstance(ft, type) and issubclass(ft, (ctypes.Structure, ctypes.Union))
        }

        def __setattr__(self, name, value):
            r = ranges.get(name)
            if r is not None:
                value = check_int(value, r[0], r[1], "%s.%s (%s)" % (spelling, name, r[2]))
            elif name in arrays and isinstance(value, (list, tuple)):
                value = arrays[name](*value)
            elif name in records and isinstance(value, (list, tuple, dict)):
                value = records[name].from_param(value)
            base_setattr(self, name, value)

        members = tuple(names)
        base_init = base.__init__

        def __init__(self, *args, **kwargs):
            base_init(self)
            if len(args) > len(members):
                raise TypeError("%s has %d members, got %d values" % (spelling, len(members), len(args)))
            for n, v in zip(members, args):
                setattr(self, n, v)
            for n, v in kwargs.items():
                if n not in members and n not in ranges and not hasattr(type(self), n):
                    raise TypeError("%s has no member %r" % (spelling, n))
                setattr(self, n, v)

        cls._cfree_init_ = __init__
        cls._cfree_setattr_ = __setattr__

        def from_param(klass, obj):
            if isinstance(obj, klass):
                return obj
            if (
                isinstance(obj, (ctypes.Structure, ctypes.Union))
                and getattr(obj, "_cfree_spelling_", None) == spelling
                and ctypes.sizeof(obj) == ctypes.sizeof(klass)
            ):
                return klass.from_buffer_copy(obj)  # the same C type, from an older class
            if isinstance(obj, dict):
                return klass(**obj)
            if isinstance(obj, (tuple, list)):
                return klass(*obj)
            raise TypeError("expected %s (or a tuple or dict of its members), not %s"
                            % (spelling, type(obj).__name__))

        cls.from_param = classmethod(from_param)
        return cls

    @staticmethod
    def _place(fields, size, is_union, packed=False):
        """``_fields_`` putting each (name, ctype, offset) at its offset with padding bytes;
        None when ctypes' natural placement cannot (a misaligned member)."""
        out = []
        if is_union:
            for name, ft, off in fields:
                if off:
                    return None
                out.append((name, ft))
            out.append(("_cfree_size_", ctypes.c_ubyte * size))
            return out
        cur = 0
        for i, (name, ft, off) in enumerate(sorted(fields, key=lambda f: f[2])):
            if off < cur:
                return None
            a = 1 if packed else ctypes.alignment(ft)
            if off > cur:
                out.append(("_cfree_pad%d_" % i, ctypes.c_ubyte * (off - cur)))
                cur = off
            if (cur % a) != 0:
                return None
            out.append((name, ft))
            cur = off + ctypes.sizeof(ft)
        if size > cur:
            out.append(("_cfree_tail_", ctypes.c_ubyte * (size - cur)))
        return out

    # ---- calls -------------------------------------------------------------------------

    def by_value(self, spelling, where):
        """The ctypes class for passing or returning record ``spelling`` by value; TypeError
        naming the reason when libffi cannot."""
        cls = self.record(spelling, required=False)
        if cls is None:
            return None
        why = cls._cfree_by_value_error_
        if why:
            raise TypeError("%s: %s cannot be passed by value: %s" % (where, spelling, why))
        return cls

    def function_pointer(self, spelling):
        """The parsed function type a pointer type points to (``"int (int) *"``), or None."""
        s = " ".join(spelling.split())
        if not s.endswith("*"):
            return None
        target = s[:-1].strip()
        if not target.endswith(")"):
            return None
        try:
            return parse_function_type(target)
        except ValueError:
            return None
