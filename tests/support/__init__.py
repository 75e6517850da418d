"""Code shared by the tests and the benchmarks: live Voila servers and the room simulator.

Importable as ``tests.support`` from the project root (pytest's ``pythonpath``;
the benchmarks put the root on sys.path).
"""
