"""Which names an old release's wheel defines, read from its source without importing or installing it.

A wheel is a zip file; `RangeFile` lets `zipfile` read only the central directory and the one module it
needs through HTTP Range requests (an old SciPy wheel is 30 MB; the few files read are a few hundred KB).
Names are collected by parsing the module with `ast` (never executed): top-level definitions,
assignments, imports, `__all__`, and what `from .x import *` brings from sibling modules of the wheel.
Names made by compiled extensions cannot be seen; such a module answers "unknown" (None)."""

from __future__ import annotations

import ast
import io
import zipfile

import httpx

MAX_MODULE_BYTES = 4 << 20
MAX_STAR_DEPTH = 4


class RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file that fetches the bytes it is asked for (HTTP Range).

    A server that ignores Range (answers 200 with the whole body) is handled by keeping that body."""

    def __init__(self, client: httpx.Client, url: str, size: int) -> None:
        self.client = client
        self.url = url
        self.size = size
        self.position = 0
        self.whole: bytes | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        wanted = min(len(buffer), self.size - self.position)
        if wanted <= 0:
            return 0
        data = self._fetch(self.position, self.position + wanted - 1)
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def _fetch(self, first: int, last: int) -> bytes:
        if self.whole is not None:
            return self.whole[first:last + 1]
        response = self.client.get(self.url, headers={"Range": f"bytes={first}-{last}"})
        response.raise_for_status()
        if response.status_code == 200:  # Range ignored: the whole file came
            self.whole = response.content
            return self.whole[first:last + 1]
        return response.content


def _module_files(dotted: str) -> list[str]:
    path = dotted.replace(".", "/")
    return [f"{path}/__init__.py", f"{path}.py", f"{path}/__init__.pyi", f"{path}.pyi"]


def _literal_strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.List | ast.Tuple):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _resolve(package: str, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    parts = package.split(".")
    base = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*base, module] if module else base)


class WheelNames:
    """Names defined by modules of one wheel (an open zip), by static reading."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.files = set(archive.namelist())
        self._declared: dict[str, set[str] | None] = {}
        self._imports: dict[str, dict[str, str]] = {}
        #: modules that make attributes at run time (PEP 562 `__getattr__`, `setattr` on the module, `globals()`
        #: edits, lazy loaders): their source lists only part of their names, so an absent name is unknown
        self.dynamic: set[str] = set()  # module -> bound name -> the dotted name it imports

    def module_exists(self, dotted: str) -> bool:
        path = dotted.replace(".", "/")
        return any(name in self.files for name in _module_files(dotted)) or any(
            name.startswith(path + "/") or (name.startswith(path + ".") and name.endswith((".so", ".pyd")))
            for name in self.files)

    def _source(self, dotted: str) -> tuple[str, bool] | None:
        """(text, is_package) of the module's source, or None when it has none (compiled or absent)."""
        for candidate in _module_files(dotted):
            if candidate in self.files:
                info = self.archive.getinfo(candidate)
                if info.file_size > MAX_MODULE_BYTES:
                    return None
                return self.archive.read(candidate).decode("utf-8", "replace"), "__init__" in candidate
        return None

    def names(self, dotted: str, depth: int = 0) -> set[str] | None:
        """Names the module `dotted` defines at top level, or None when that cannot be read from source."""
        found = self._source(dotted)
        if found is None:
            return None
        text, is_package = found
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return None
        package = dotted if is_package else dotted.rpartition(".")[0]
        names: set[str] = set()
        declared: set[str] | None = None
        for node in _top_level(tree):
            if _is_dynamic(node):
                self.dynamic.add(dotted)
            names.update(_bound_names(node))
            self._imports.setdefault(dotted, {}).update(_imported_modules(node, package))
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                listed = _all_names(node)
                if listed is not None:
                    declared = (declared or set()) | listed
            if isinstance(node, ast.ImportFrom) and depth < MAX_STAR_DEPTH and any(a.name == "*" for a in node.names):
                source = _resolve(package, node.module, node.level)
                names.update(self.exported(source, depth + 1) or set())
                if source in self.dynamic or self._source(source) is None:
                    self.dynamic.add(dotted)  # `*` from a module whose names cannot all be read
        if is_package:
            names.update(self._submodules(dotted))
        self._declared[dotted] = declared
        return names | (declared or set())

    def imported(self, module: str, name: str) -> str | None:
        """The dotted name a module's `name` was imported from (`from keras.api import losses` -> keras.api.losses)."""
        return self._imports.get(module, {}).get(name)

    def _submodules(self, dotted: str) -> set[str]:
        """A package's submodules, which are its attributes once imported."""
        prefix = dotted.replace(".", "/") + "/"
        return {name[len(prefix):].split("/")[0].split(".")[0] for name in self.files if name.startswith(prefix)}

    def exported(self, dotted: str, depth: int = 0) -> set[str] | None:
        """What `from dotted import *` brings: `__all__` when declared, else the public top-level names."""
        names = self.names(dotted, depth)
        if names is None:
            return None
        declared = self._declared.get(dotted)
        return declared if declared is not None else {n for n in names if not n.startswith("_")}


def _bound_names(node: ast.stmt) -> set[str]:
    """Names a top-level statement binds (definitions, assignments, imports other than `*`)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {leaf.id for target in targets for leaf in ast.walk(target) if isinstance(leaf, ast.Name)}
    if isinstance(node, ast.Import):
        return {alias.asname or alias.name.split(".")[0] for alias in node.names}
    if isinstance(node, ast.ImportFrom):
        return {alias.asname or alias.name for alias in node.names if alias.name != "*"}
    return set()


def _is_dynamic(node: ast.stmt) -> bool:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return node.name == "__getattr__"
    if isinstance(node, ast.ClassDef):
        return False
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        if isinstance(call.func, ast.Name) and call.func.id in ("setattr", "globals"):
            return True
        if isinstance(call.func, ast.Attribute) and "lazy" in call.func.attr.lower():
            return True
    return False


def _imported_modules(node: ast.stmt, package: str) -> dict[str, str]:
    """Bound name -> full dotted name, for imports (a name may turn out to be a module of the wheel)."""
    if isinstance(node, ast.Import):
        return {alias.asname: alias.name for alias in node.names if alias.asname}
    if isinstance(node, ast.ImportFrom):
        source = _resolve(package, node.module, node.level)
        return {alias.asname or alias.name: f"{source}.{alias.name}" for alias in node.names if alias.name != "*"}
    return {}


def _all_names(node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> set[str] | None:
    """The strings of an `__all__ = [...]` (or `+=`) assignment; None for any other assignment."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if node.value is None or not any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
        return None
    if not isinstance(node.value, ast.List | ast.Tuple):  # computed (`_common.__all__`): not readable
        return None
    return set(_literal_strings(node.value))


def _top_level(tree: ast.Module) -> list[ast.stmt]:
    """Top-level statements, including those inside `if`/`try` blocks (version switches, optional imports)."""
    out: list[ast.stmt] = []
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop(0)
        out.append(node)
        if isinstance(node, ast.If | ast.Try):
            stack.extend(node.body)
            stack.extend(node.orelse)
            if isinstance(node, ast.Try):
                for handler in node.handlers:
                    stack.extend(handler.body)
                stack.extend(node.finalbody)
    return out


def has_name(archive: zipfile.ZipFile, dotted: str, depth: int = 0) -> bool | None:
    """Whether the wheel defines the dotted name: True, False, or None when its source cannot tell.

    A name that a module imports from another module of the wheel (`keras.losses` is `keras.api.losses`)
    is followed there; an attribute of a class or object cannot be decided from source."""
    wheel = WheelNames(archive)
    parts = dotted.split(".")
    if not wheel.module_exists(parts[0]):
        return False
    for count in range(len(parts), 0, -1):
        module = ".".join(parts[:count])
        if count == len(parts) and wheel.module_exists(module):
            return True
        if not wheel.module_exists(module):
            continue
        rest = parts[count:]
        names = wheel.names(module)
        if names is None:
            return None
        if rest[0] not in names:
            return None if module in wheel.dynamic else False
        if len(rest) == 1:
            return True
        target = wheel.imported(module, rest[0])
        if target and depth < MAX_STAR_DEPTH and wheel.module_exists(target):
            return has_name(archive, ".".join([target, *rest[1:]]), depth + 1)
        return None
    return False
