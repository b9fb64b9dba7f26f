#!/usr/bin/env bash
# Rewrites the <ItemGroup Label="Sources"> block of every .nfproj in the repository from the .cs files on disk.
#
# Why: the nanoFramework project system does not glob; every .cs must be listed in the .nfproj, while the host
# builds (tools/Portable/*) glob the same folders. Run this after adding, moving or deleting a .cs file under
# firmware/ (the core, firmware/Components/<Name>, the shells), OtaPartition/ or tests/; the host test
# Guard/DeviceProjectTests fails until you do.
#
# Usage:  tools/nfproj-sync.sh           rewrite what is out of date (prints the projects it changed)
#         tools/nfproj-sync.sh --check   change nothing; exit 1 and name the projects that are out of date
#
# Rules: every *.cs below the project's folder (bin/ and obj/ excluded), sorted by path (ordinal), Windows
# backslashes, one <Compile Include="..." /> a line; X.Designer.cs next to X.resx gets DependentUpon X.resx.
# Only the marked block changes; running it twice changes nothing. Needs bash and python3.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec python3 - "$repo" "$@" <<'PY'
import os, re, sys

repo = sys.argv[1]
check = "--check" in sys.argv[2:]
unknown = [a for a in sys.argv[2:] if a != "--check"]
if unknown:
    sys.stderr.write("usage: tools/nfproj-sync.sh [--check]\n")
    sys.exit(2)

SKIP_DIRS = {"bin", "obj", "packages", ".git", ".vs", "TestResults"}
BLOCK = re.compile(r'(?P<open>^(?P<indent>[ \t]*)<ItemGroup Label="Sources">[ \t]*\r?\n)(?P<body>.*?)(?P<close>^[ \t]*</ItemGroup>)',
                   re.MULTILINE | re.DOTALL)

def projects():
    for dirpath, dirnames, filenames in os.walk(repo):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for f in sorted(filenames):
            if f.endswith(".nfproj"):
                yield os.path.join(dirpath, f)

def sources(project_dir):
    found = []
    for dirpath, dirnames, filenames in os.walk(project_dir):
        dirnames[:] = [d for d in dirnames if d.lower() not in ("bin", "obj")]
        for f in filenames:
            if f.endswith(".cs"):
                rel = os.path.relpath(os.path.join(dirpath, f), project_dir)
                found.append(rel.replace("/", "\\"))
    return sorted(found)

def render(indent, files, project_dir):
    item = indent + "  "
    lines = []
    for rel in files:
        name = rel.rsplit("\\", 1)[-1]
        folder = rel[: len(rel) - len(name)]
        if name.endswith(".Designer.cs"):
            resx = name[: -len(".Designer.cs")] + ".resx"
            if os.path.exists(os.path.join(project_dir, (folder + resx).replace("\\", os.sep))):
                lines.append(item + '<Compile Include="%s">' % rel)
                lines.append(item + "  <AutoGen>True</AutoGen>")
                lines.append(item + "  <DesignTime>True</DesignTime>")
                lines.append(item + "  <DependentUpon>%s</DependentUpon>" % resx)
                lines.append(item + "</Compile>")
                continue
        lines.append(item + '<Compile Include="%s" />' % rel)
    return "".join(l + "\n" for l in lines)

stale = []
for project in projects():
    with open(project, "r", encoding="utf-8", newline="") as f:
        text = f.read()
    match = BLOCK.search(text)
    rel_project = os.path.relpath(project, repo)
    if not match:
        sys.stderr.write('%s: no <ItemGroup Label="Sources"> block; add an empty one where the Compile items belong\n' % rel_project)
        sys.exit(1)
    project_dir = os.path.dirname(project)
    body = render(match.group("indent"), sources(project_dir), project_dir)
    newline = "\r\n" if "\r\n" in match.group("open") else "\n"
    if newline != "\n":
        body = body.replace("\n", newline)
    if body == match.group("body"):
        continue
    stale.append(rel_project)
    if not check:
        text = text[: match.start("body")] + body + text[match.end("body"):]
        with open(project, "w", encoding="utf-8", newline="") as f:
            f.write(text)

if check:
    if stale:
        print("out of date (run tools/nfproj-sync.sh): " + ", ".join(stale))
        sys.exit(1)
    print("all .nfproj Sources blocks are up to date")
else:
    for p in stale:
        print("updated " + p)
PY
