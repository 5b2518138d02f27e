"""Refresh the interface's translation catalogs from the sources and the translators' dictionaries.

    .venv/bin/python tools/i18n/catalogs.py            extract, fill, report what is still missing
    .venv/bin/python tools/i18n/catalogs.py --check    the same, but exit 1 if anything is missing

Steps: `manage.py makemessages` for every language in settings.LANGUAGES but English (the source
language), then every entry's msgstr is written from tools/i18n/<lang>.json, a dictionary keyed by
msgid (a list of plural forms for a msgid_plural entry). The dictionaries are the translators' work
and the source of truth; the .po files are rebuilt from them on every run, so nothing in a .po file is
edited by hand, and nothing is ever marked fuzzy. Msgids with no translation are listed, and written
to tools/i18n/missing.json so a translator can fill them in and re-run.

No third-party .po library: the format makemessages writes is small, and this module reads exactly it.
"""

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LANGUAGES = {
    "fr": ("French", "nplurals=2; plural=(n > 1);"),
    "es": ("Spanish", "nplurals=2; plural=(n != 1);"),
    # The same expression as Django's own Arabic catalog.
    "ar": (
        "Arabic",
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 && n%100<=99 ? 4 : 5;",
    ),
}
# Folders whose strings are not the interface's: tools, benchmarks, tests, installed packages.
IGNORE = [".venv", "node_modules", "tools", "bench", "tests", "staticfiles", "media", "test-artifacts"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdif]|\{\w*\}")


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    msgctxt: str | None = None

    @property
    def fuzzy(self):
        return any(c.startswith("#,") and "fuzzy" in c for c in self.comments)


def _unquote(text):
    return json.loads(text)


def _quote(text):
    """A .po string literal, split after each newline the way gettext does."""
    escaped = json.dumps(text, ensure_ascii=False)[1:-1]
    parts = escaped.split("\\n")
    if len(parts) == 1:
        return f'"{escaped}"'
    lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return '""\n' + "\n".join(f'"{line}"' for line in lines)


def parse(text):
    """The entries of a .po file (the header is the first, with msgid "")."""
    entries, entry, target = [], Entry(), None
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#"):
            entry.comments.append(line)
        elif line.startswith('"'):
            value = _unquote(line)
            if isinstance(target, int):
                entry.msgstr[target] += value
            else:
                setattr(entry, target, getattr(entry, target) + value)
        else:
            keyword, literal = line.split(" ", 1)
            value = _unquote(literal)
            if keyword.startswith("msgstr["):
                index = int(keyword[7:-1])
                entry.msgstr[index:] = [value]
                target = index
            elif keyword == "msgstr":
                entry.msgstr, target = [value], 0
            else:
                setattr(entry, keyword, value)
                target = keyword
    return entries


def render(entries):
    blocks = []
    for e in entries:
        lines = list(e.comments)
        if e.msgctxt is not None:
            lines.append(f"msgctxt {_quote(e.msgctxt)}")
        lines.append(f"msgid {_quote(e.msgid)}")
        if e.msgid_plural is not None:
            lines.append(f"msgid_plural {_quote(e.msgid_plural)}")
            lines += [f"msgstr[{i}] {_quote(s)}" for i, s in enumerate(e.msgstr)]
        else:
            lines.append(f"msgstr {_quote(e.msgstr[0])}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def po_path(lang):
    return ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"


def extract(languages, root=ROOT):
    """Run makemessages in root (a copy of the project, for a test that must not touch locale/)."""
    args = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
    args += [f"--locale={lang}" for lang in languages] + [f"--ignore={folder}" for folder in IGNORE]
    subprocess.run(args, cwd=root, check=True, stdout=subprocess.DEVNULL)


def load_dictionary(lang):
    path = HERE / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def fill(lang):
    """Write every msgstr of one catalog from its dictionary; return the msgids still untranslated."""
    name, plural_forms = LANGUAGES[lang]
    nplurals = int(re.search(r"nplurals=(\d+)", plural_forms).group(1))
    dictionary = load_dictionary(lang)
    path = po_path(lang)
    entries = parse(path.read_text(encoding="utf-8"))
    header, body = entries[0], entries[1:]
    header.comments = [f"# GCM Tracker interface, {name}: written by tools/i18n/catalogs.py from {lang}.json."]
    header.msgstr = [
        "Project-Id-Version: GCM Tracker\n"
        "Report-Msgid-Bugs-To: \n"
        f"Language: {lang}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"Plural-Forms: {plural_forms}\n"
    ]
    missing, problems = [], []
    for entry in body:
        # Keep translators' notes and format flags; drop "fuzzy" (a guess is never shipped).
        entry.comments = [c for c in entry.comments if c.startswith(("#.", "#,"))]
        entry.comments = [c.replace(", fuzzy", "") for c in entry.comments if c.strip() != "#, fuzzy"]
        translation = dictionary.get(entry.msgid)
        if entry.msgid_plural is not None:
            forms = translation if isinstance(translation, list) else None
            if forms is not None and len(forms) != nplurals:
                problems.append(f"{lang}: {entry.msgid!r} needs {nplurals} plural forms, has {len(forms)}")
                forms = None
            entry.msgstr = forms or [""] * nplurals
            expected = placeholders(entry.msgid_plural)
        else:
            entry.msgstr = [translation if isinstance(translation, str) else ""]
            expected = placeholders(entry.msgid)
        if not all(entry.msgstr):
            missing.append(entry.msgid)
            continue
        for form in entry.msgstr:
            # A plural form may leave out the number (Arabic's one and two forms say it in words).
            have = placeholders(form)
            if have != expected and not (entry.msgid_plural is not None and set(have) <= set(expected)):
                problems.append(f"{lang}: placeholders differ in {entry.msgid!r}: {have} != {expected}")
    path.write_text(render([header, *body]), encoding="utf-8")
    return missing, problems


def main(argv):
    check = "--check" in argv
    extract(LANGUAGES)
    report, all_missing, all_problems = {}, {}, []
    for lang in LANGUAGES:
        missing, problems = fill(lang)
        all_problems += problems
        if missing:
            all_missing[lang] = missing
        report[lang] = len(missing)
    missing_file = HERE / "missing.json"
    if all_missing:
        missing_file.write_text(json.dumps(all_missing, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        missing_file.unlink(missing_ok=True)
    for problem in all_problems:
        print(problem)
    print("untranslated:", ", ".join(f"{lang} {n}" for lang, n in report.items()))
    if all_missing:
        print("see tools/i18n/missing.json")
    return 1 if check and (all_missing or all_problems) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
