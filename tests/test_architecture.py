"""The layout's rules, checked on the source (issue 14): every access rule lives in
`recommendations/permissions.py`, no view module imports another, and no file grows past the line
limit without saying why at its top.

The checks parse every Python file under the scanned folders with `ast` (not a list of files), so
a new module is checked the day it is added; the allow-lists below name the only exceptions, each
with its reason, and an exception that is no longer needed fails too, so the lists stay honest.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("recommendations", "events", "gcmtracker")
LINE_LIMIT = 400
# Where the line limit applies: the application, its templates and styles, its tests and tools.
LIMITED = (*PACKAGES, "templates", "static", "tests", "tools", "bench")
LIMITED_SUFFIXES = (".py", ".html", ".txt", ".css", ".js")
# The reason a longer file gives, within its first lines: "Longer than 400 lines: <why>".
LONG_FILE_MARK = "longer than 400 lines:"


def python_files(*folders: str) -> list[Path]:
    return sorted(
        path
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imported_modules(path: Path, tree: ast.AST, known: set[str]) -> set[str]:
    """The project modules the file imports, as absolute dotted names: for `from package import
    name`, `package.name` when that is a module, else `package`."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            for alias in node.names:
                found.add(f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in known else origin)
    return found & known


# --- Access rules ---------------------------------------------------------------------------------

# Modules that may touch auth and group internals or build scope filters, and why.
ACCESS_ALLOWED = {
    "recommendations/permissions.py": "the one module for access rules",
    "recommendations/models/__init__.py": "re-exports StateScope with every model",
    "recommendations/admin/corridors.py": "the StateScope admin, where administrators grant scopes",
}
AUTH_MODULES = (
    "django.contrib.auth.decorators",  # login_required & co: the view decorators are permissions'
    "django.contrib.auth.mixins",
    "django.contrib.auth.backends",
    "rest_framework.permissions",  # the API's permission classes are permissions'
)
# What of django.contrib.auth.models is about roles (AnonymousUser, say, is not).
AUTH_MODELS = {"Group", "Permission", "User", "PermissionsMixin", "AbstractUser"}
# Attributes and lookups that read roles, flags or scopes.
AUTH_ATTRIBUTES = {
    "groups",
    "user_permissions",
    "has_perm",
    "has_perms",
    "has_module_perms",
    "get_all_permissions",
    "get_group_permissions",
    "get_user_permissions",
    "is_superuser",
    "is_staff",
    "state_scopes",
    "scopes",
}
# Names that belong to the scope machinery.
SCOPE_NAMES = {"StateScope", "Group", "Permission", "scoped_state_ids"}


def _lookup_segments(text: str) -> set[str]:
    return set(text.split("__"))


def _is_auth_lookup(text: str) -> bool:
    """A string such as "groups__name" or "owner__state_scopes__state" (a lookup, not prose)."""
    return "__" in text and " " not in text and bool(_lookup_segments(text) & AUTH_ATTRIBUTES)


def _mentions_scope(node: ast.AST) -> bool:
    """Whether an expression reads a scope: a name or attribute about scopes or editable states,
    or a call into `permissions`."""
    for child in ast.walk(node):
        name = child.id if isinstance(child, ast.Name) else child.attr if isinstance(child, ast.Attribute) else ""
        if "scope" in name.lower() or name in ("editable_states", "scoped_state_ids"):
            return True
        if isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name) and child.value.id == "permissions":
            return True
    return False


def access_findings(tree: ast.AST) -> list[str]:
    """What in a module is an access rule: imports of auth internals, reads of roles, flags and
    scopes, and filters on states built from a user's scope."""
    findings = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith(AUTH_MODULES):
            findings.append(f"line {line}: imports {node.module}")
        elif isinstance(node, ast.ImportFrom) and node.module == "django.contrib.auth.models":
            findings += [f"line {line}: imports {a.name}" for a in node.names if a.name in AUTH_MODELS]
        elif isinstance(node, ast.Import):
            findings += [f"line {line}: imports {a.name}" for a in node.names if a.name.startswith(AUTH_MODULES)]
        elif isinstance(node, ast.Attribute) and node.attr in AUTH_ATTRIBUTES:
            findings.append(f"line {line}: reads .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in SCOPE_NAMES:
            findings.append(f"line {line}: uses {node.id}")
        elif isinstance(node, ast.alias) and node.name in SCOPE_NAMES:
            findings.append(f"line {getattr(node, 'lineno', 0)}: imports {node.name}")
        elif isinstance(node, ast.keyword) and node.arg and _lookup_segments(node.arg) & AUTH_ATTRIBUTES:
            findings.append(f"line {node.value.lineno}: filters on {node.arg}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _is_auth_lookup(node.value):
            findings.append(f"line {line}: names the lookup {node.value!r}")
        if isinstance(node, ast.Call):
            # filter(state__in=<the user's scope>), Q(implementation__state_id__in=…), **{"state__in": …}
            pairs = [(kw.arg, kw.value) for kw in node.keywords if kw.arg]
            for kw in node.keywords:
                if kw.arg is None and isinstance(kw.value, ast.Dict):
                    pairs += [
                        (key.value, value)
                        for key, value in zip(kw.value.keys, kw.value.values, strict=True)
                        if isinstance(key, ast.Constant) and isinstance(key.value, str)
                    ]
            for lookup, value in pairs:
                if "state" in lookup and lookup.endswith("__in") and _mentions_scope(value):
                    findings.append(f"line {node.lineno}: builds a scope filter on {lookup}")
    return findings


def access_violations(paths) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        findings = access_findings(ast.parse(path.read_text(), filename=str(path)))
        if findings:
            found[relative(path)] = findings
    return found


def test_only_the_allowed_modules_touch_auth_internals_or_build_scope_filters():
    found = access_violations(python_files(*PACKAGES))
    outside = {module: findings for module, findings in found.items() if module not in ACCESS_ALLOWED}
    assert not outside, (
        "Access rules belong in recommendations/permissions.py (a predicate, and its queryset twin "
        f"for lists); these modules build their own: {outside}"
    )
    unneeded = sorted(set(ACCESS_ALLOWED) - set(found))
    assert not unneeded, f"Allowed but no longer needed, take them off ACCESS_ALLOWED: {unneeded}"


@pytest.mark.parametrize(
    "source",
    [
        "from django.contrib.auth.models import Group",
        "from django.contrib.auth.models import Permission",
        "from django.contrib.auth.decorators import login_required",
        "from rest_framework.permissions import BasePermission",
        "ok = user.is_superuser",
        "names = user.groups.values_list('name', flat=True)",
        "ok = user.has_perm('recommendations.change_implementation')",
        "rows = User.objects.filter(groups__name='editor')",
        "rows = User.objects.filter(Q(is_superuser=True))",
        "rows = User.objects.values('state_scopes__state_id')",
        "rows = StateScope.objects.filter(user=user)",
        "rows = Implementation.objects.filter(state__in=permissions.editable_states(user))",
        "rows = Evidence.objects.filter(Q(implementation__state_id__in=scope_ids))",
        "rows = Evidence.objects.filter(**{'implementation__state__in': user_scope})",
    ],
)
def test_the_access_check_sees_each_kind_of_rule(source):
    assert access_findings(ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        "rows = Implementation.objects.filter(state__in=[stop.state_id for stop in stops])",
        "from django.contrib.auth.models import AnonymousUser",
        "text = 'the groups__name lookup is read in permissions'",
    ],
)
def test_the_access_check_leaves_plain_code_alone(source):
    assert not access_findings(ast.parse(source))


# --- View modules -----------------------------------------------------------------------------------


def url_modules(trees: dict[Path, ast.AST]) -> set[Path]:
    """Modules that route: a module-level `urlpatterns`, or any module-level list of `path()`s."""
    found = set()
    for path, tree in trees.items():
        for node in tree.body:
            if not isinstance(node, ast.Assign):
                continue
            routes = any(
                isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ("path", "re_path")
                for call in ast.walk(node.value)
            )
            if routes or any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in node.targets):
                found.add(path)
    return found


def view_modules(trees: dict[Path, ast.AST]) -> set[Path]:
    """The modules a URL module imports (a page must be routed to be served), and every views.py."""
    by_name = {module_name(path): path for path in trees}
    urls = url_modules(trees)
    views = {path for path in trees if path.name == "views.py"}
    for path in urls:
        views.update(by_name[name] for name in imported_modules(path, trees[path], set(by_name)))
    return views - urls


def view_import_violations(trees: dict[Path, ast.AST]) -> list[str]:
    by_name = {module_name(path): path for path in trees}
    views = view_modules(trees)
    return sorted(
        f"{relative(path)} imports {relative(by_name[name])}"
        for path in views
        for name in imported_modules(path, trees[path], set(by_name))
        if by_name[name] in views and by_name[name] != path
    )


def parsed(paths) -> dict[Path, ast.AST]:
    return {path: ast.parse(path.read_text(), filename=str(path)) for path in paths}


def test_no_view_module_imports_another():
    trees = parsed(python_files(*PACKAGES))
    assert {relative(p) for p in view_modules(trees)} >= {
        "recommendations/public/views.py",
        "recommendations/staff/views.py",
        "recommendations/review/cycles.py",
        "recommendations/accountability/views.py",
        "events/views.py",
    }
    assert not view_import_violations(trees), (
        "A view module imports another; move what they share a floor down (selectors, filtersets, "
        "downloads, permissions, or a helper module of the area)."
    )


# --- File length ------------------------------------------------------------------------------------


def long_files_without_a_reason() -> list[str]:
    found = []
    for folder in LIMITED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in LIMITED_SUFFIXES or not path.is_file():
                continue
            if {"migrations", "__pycache__", "node_modules"} & set(path.parts):
                continue  # migrations are written by Django
            lines = path.read_text(errors="replace").splitlines()
            head = "\n".join(lines[:12]).lower()
            if len(lines) > LINE_LIMIT and LONG_FILE_MARK not in head:
                found.append(f"{relative(path)} ({len(lines)} lines)")
    return found


def test_every_file_is_under_the_line_limit_or_says_why():
    assert not long_files_without_a_reason(), (
        f"Split these files, or say at the top why one is longer ('Longer than {LINE_LIMIT} lines: …')"
    )
