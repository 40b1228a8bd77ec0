def test_fails() -> None:
    assert 1 + 1 == 3
