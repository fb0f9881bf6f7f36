#!/usr/bin/env python3
"""Check that a MAVLink message-id range is unused by every dialect XML shipped with pymavlink.

Usage: check_id_range.py FIRST LAST [DIALECT_DIR]
Prints every id used by any XML in DIALECT_DIR (default: pymavlink/dialects/v20 of the importing Python),
as compact ranges per file, and exits 1 if any id in FIRST..LAST is taken.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET


def used_ids(directory):
    by_file = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.xml"))):
        root = ET.parse(path).getroot()
        ids = sorted(int(m.get("id")) for m in root.iter("message"))
        by_file[os.path.basename(path)] = ids
    return by_file


def ranges(ids):
    out, start, prev = [], None, None
    for i in ids:
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            out.append((start, prev))
            start = prev = i
    if start is not None:
        out.append((start, prev))
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in out)


def main():
    first, last = int(sys.argv[1]), int(sys.argv[2])
    if len(sys.argv) > 3:
        directory = sys.argv[3]
    else:
        import pymavlink
        directory = os.path.join(os.path.dirname(pymavlink.__file__), "dialects", "v20")
    clashes = []
    for name, ids in used_ids(directory).items():
        print(f"{name}: {ranges(ids)}")
        clashes += [(name, i) for i in ids if first <= i <= last]
    if clashes:
        print(f"range {first}-{last} is NOT free: {clashes}")
        return 1
    print(f"range {first}-{last} is free in all {directory}/*.xml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
