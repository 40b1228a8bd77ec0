import pytest


@pytest.mark.skip(reason="needs the warehouse")
def test_against_the_warehouse() -> None:
    raise AssertionError("never runs")
