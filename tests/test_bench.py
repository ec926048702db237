"""The benchmark's report: notebooks beside the empty-notebook floor; other rows (memory, imports) as measured."""

from helpers import bench


def test_the_report_shows_notebooks_above_the_floor_and_memory_as_is():
    found = [("empty notebook (floor)", 0.5), ("notebook 00_start_here", 1.5), ("peak MB, kernel of 00_start_here", 120.0),
             ("import helpers", 0.02)]
    lines = bench.report(found).splitlines()
    assert lines[0].split() == ["measurement", "value", "above", "floor", "x", "floor"]
    assert lines[2].split()[-3:] == ["1.50", "1.00", "3.00"]  # seconds, above the floor, times the floor
    assert lines[3].split()[-1] == "120.00" and len(lines[3].split()) == 6  # memory: no floor columns
