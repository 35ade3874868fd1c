"""Prints 'N passed, N failed[, N skipped]' from a TRX file; exits 1 when a test failed or none ran."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

def main(path: str) -> int:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"trx-summary: cannot read {path}: {e}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    counters = root.find("t:ResultSummary/t:Counters", NS)
    if counters is None:
        print("0 passed, 1 failed")
        return 1
    passed = int(counters.get("passed", "0"))
    failed = int(counters.get("failed", "0")) + int(counters.get("error", "0")) + int(counters.get("timeout", "0")) + int(counters.get("aborted", "0"))
    skipped = int(counters.get("notExecuted", "0")) + int(counters.get("inconclusive", "0"))
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 0 if failed == 0 and passed > 0 else 1

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
