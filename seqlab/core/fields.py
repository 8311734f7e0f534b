"""Field checkers and section parsing: what every family's spec sections are built from.

A section is a dataclass whose fields carry a checker and a one-line help text
(:func:`spec_field`). :func:`section_from_dict` turns a JSON object into one, checking every
field with a message that names it (``model.hidden_size must be an integer from 1 to 4096,
got -3``) and refusing unknown keys (a typo must not silently fall back to a default).
Families build their ``data`` and ``model`` sections from these; the core's ``train``
section too.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, field, fields
from typing import Any

from .errors import SpecError

# --- checkers: each takes (path, value) and returns the normalised value or raises SpecError ---

def int_in(lo: int, hi: int, *, optional: bool = False):
    def check(path: str, v: Any):
        if v is None and optional:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            else:
                raise SpecError(f"{path} must be an integer from {lo} to {hi}, got {v!r}")
        if not lo <= v <= hi:
            raise SpecError(f"{path} must be an integer from {lo} to {hi}, got {v!r}")
        return v

    check.doc = f"integer {lo}..{hi}" + (" or null" if optional else "")
    return check


def float_in(lo: float, hi: float, *, optional: bool = False, lo_open: bool = False):
    lo_txt = f"greater than {lo:g}" if lo_open else f"from {lo:g}"

    def check(path: str, v: Any):
        if v is None and optional:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise SpecError(f"{path} must be a number {lo_txt} to {hi:g}, got {v!r}")
        v = float(v)
        if (v <= lo if lo_open else v < lo) or v > hi:
            raise SpecError(f"{path} must be a number {lo_txt} to {hi:g}, got {v!r}")
        return v

    check.doc = f"number {lo_txt} to {hi:g}" + (" or null" if optional else "")
    return check


def choice(*options: str, optional: bool = False):
    allowed = ", ".join(repr(o) for o in options)

    def check(path: str, v: Any):
        if v is None and optional:
            return None
        if isinstance(v, str) and v.lower() in options:
            return v.lower()
        raise SpecError(f"{path} must be one of {allowed}, got {v!r}")

    check.doc = "one of " + allowed
    return check


def boolean(path: str, v: Any):
    if isinstance(v, bool):
        return v
    raise SpecError(f"{path} must be true or false, got {v!r}")


boolean.doc = "true or false"


def text(*, optional: bool = False):
    def check(path: str, v: Any):
        if v is None and optional:
            return None
        if isinstance(v, str):
            return v
        raise SpecError(f"{path} must be a text string, got {v!r}")

    check.doc = "text"
    return check


def spec_field(default, check, help: str = ""):
    """A dataclass field carrying its checker and a one-line help text."""
    return field(default=default, metadata={"check": check, "help": help})




def layer_list(activations: tuple[str, ...], *, lo: int = 1, hi: int = 4096, max_layers: int = 6,
               optional: bool = False, bare_size: bool = False):
    """A checker of a list of layers ``[{"size": int, "activation": str}, ...]`` (the layer
    editors of the autoencoder and GAN families); each error names its entry's path
    (``model.encoder[1].size``). ``bare_size``: a plain number is a layer of the default
    activation. ``optional``: null is allowed."""
    size_check = int_in(lo, hi)
    act_check = choice(*activations)

    def check(path: str, v: Any):
        if v is None and optional:
            return None
        if not isinstance(v, (list, tuple)):
            raise SpecError(f"{path} must be a list of layers like [{{\"size\": 64, \"activation\": \"relu\"}}], "
                            f"got {v!r}", path=path)
        if not 1 <= len(v) <= max_layers:
            raise SpecError(f"{path} must hold 1 to {max_layers} layers, got {len(v)}", path=path)
        out = []
        for i, layer in enumerate(v):
            where = f"{path}[{i}]"
            if bare_size and isinstance(layer, int) and not isinstance(layer, bool):
                layer = {"size": layer}
            if not isinstance(layer, dict):
                raise SpecError(f"{where} must be an object like {{\"size\": 64, \"activation\": \"relu\"}}, "
                                f"got {layer!r}", path=where)
            unknown = sorted(set(layer) - {"size", "activation"})
            if unknown:
                raise SpecError(f"unknown field {where}.{unknown[0]}; a layer has fields size, activation",
                                path=f"{where}.{unknown[0]}")
            if "size" not in layer:
                raise SpecError(f"{where}.size is missing; every layer needs a size", path=f"{where}.size")
            out.append({"size": checked(f"{where}.size", size_check, layer["size"]),
                        "activation": checked(f"{where}.activation", act_check, layer.get("activation", "relu"))})
        return out

    check.doc = (f"list of 1-{max_layers} layers {{size {lo}..{hi}, activation one of {', '.join(activations)}}}"
                 + (" or null" if optional else ""))
    return check


def section_from_dict(key: str, klass, d: Any):
    """Build section `key` (a dataclass made of :func:`spec_field` fields) from a JSON object."""
    if not isinstance(d, dict):
        raise SpecError(f"{key} must be a JSON object, got {d!r}", path=key)
    known = {f.name: f for f in fields(klass)}
    for k in d:
        if k not in known:
            raise SpecError(f"unknown field {key}.{k}; {key} has fields " + ", ".join(known), path=f"{key}.{k}")
    values = {}
    for name, f in known.items():
        v = d[name] if name in d else (f.default if f.default is not MISSING else f.default_factory())
        values[name] = checked(f"{key}.{name}", f.metadata["check"], v)
    return klass(**values)


def checked(path: str, check, value: Any) -> Any:
    """Run one checker; its SpecError carries the field's path."""
    try:
        return check(path, value)
    except SpecError as e:
        if e.path is None:
            e.path = path
        raise


def section_field_help(klass, name: str) -> str:
    """One sentence about a field, with its allowed values (for tooltips and --help)."""
    f = {x.name: x for x in fields(klass)}[name]
    return f"{f.metadata['help']} ({f.metadata['check'].doc})"


def section_validated(klass, section: str, name: str, value: Any) -> Any:
    """Check one field's value on its own (what a panel does as the user types)."""
    f = {x.name: x for x in fields(klass)}[name]
    return checked(f"{section}.{name}", f.metadata["check"], value)


__all__ = ["layer_list", "int_in", "float_in", "choice", "boolean", "text", "spec_field", "section_from_dict",
           "section_field_help", "section_validated", "checked", "SpecError"]
