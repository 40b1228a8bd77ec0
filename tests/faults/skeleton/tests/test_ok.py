def test_ok() -> None:
    assert 1 + 1 == 2
