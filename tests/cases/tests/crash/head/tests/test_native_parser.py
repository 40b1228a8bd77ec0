import ctypes


def test_native_parser_reads_a_record() -> None:
    ctypes.string_at(0)  # reads address 0: the interpreter dies with SIGSEGV
