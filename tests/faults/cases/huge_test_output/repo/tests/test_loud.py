import os


def test_loud() -> None:
    chunk = b"x" * (1 << 20) + b"\n"
    for _ in range(200):
        os.write(1, chunk)
    raise AssertionError("loud and wrong")
