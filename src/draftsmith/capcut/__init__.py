"""Draft <-> CapCut/Jianying draft folder files. Pure and deterministic."""
