#!/usr/bin/python3
"""md2man.py NAME SECTION < page.md > page.SECTION: the project's man pages as roff, from the
Markdown in docs/ (headings, paragraphs, lists, definition lists, code blocks, tables as text)."""
import re
import sys

name, section = sys.argv[1], sys.argv[2]


def inline(s):
    s = s.replace("\\", "\\e")
    s = re.sub(r"`([^`]*)`", r"\\fB\1\\fR", s)
    s = re.sub(r"\*\*([^*]*)\*\*", r"\\fB\1\\fR", s)
    s = re.sub(r"(?<!\w)\*([^*]+)\*(?!\w)", r"\\fI\1\\fR", s)
    s = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1 (\2)", s)
    return s


def line(s):
    s = inline(s)
    return "\\&" + s if s.startswith((".", "'")) else s


out = ['.TH %s %s "" "leapp" "System Manager\'s Manual"' % (name.upper(), section)]
code = False
for raw in sys.stdin.read().splitlines():
    if raw.startswith("```"):
        out.append(".EE" if code else ".EX")
        code = not code
        continue
    if code:
        out.append("\\&" + raw.replace("\\", "\\e"))
        continue
    if raw.startswith("# "):
        continue
    m = re.match(r"^(#{2,}) (.*)", raw)
    if m:
        out.append((".SH " if len(m.group(1)) == 2 else ".SS ") + inline(m.group(2)).upper()
                   if len(m.group(1)) == 2 else ".SS " + inline(m.group(2)))
    elif not raw.strip():
        out.append(".PP")
    elif raw.startswith(": "):
        out.append(".RS 4\n" + line(raw[2:]) + "\n.RE")
    elif re.match(r"^\s*[-*] ", raw):
        out.append(".IP \\(bu 2\n" + line(re.sub(r"^\s*[-*] ", "", raw)))
    elif re.match(r"^\|[-| :]+\|$", raw):
        continue
    elif raw.startswith("|"):
        out.append(".br\n" + line("  ".join(c.strip() for c in raw.strip("|").split("|"))))
    else:
        out.append(line(raw.strip()))
print("\n".join(out))
