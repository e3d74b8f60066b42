"""mksr: the synthetic RPM system generator behind scripts/mksysroot (see ../README.md)."""
