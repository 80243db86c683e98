"""The benchmark's synthetic England-scale return is a valid return with only its deliberate
mistakes: so the benchmark measures the checks on realistic, mostly clean data."""

from collections import Counter

from benchmarks.bench_sen2 import write_synthetic_return
from everychild.returns.sen2.validate import validate


def test_the_synthetic_return_holds_only_its_deliberate_mistakes(tmp_path):
    path = tmp_path / "england.xml"
    mistakes = write_synthetic_return(path, persons=3000, seed=7)
    errors = Counter()
    outcome = validate(path, lambda f: errors.update([f.code]) if f.is_error else None)
    assert outcome.persons == 3000
    assert outcome.errors == mistakes > 0
    assert set(errors) <= {"SEN2-100", "SEN2-005"}
