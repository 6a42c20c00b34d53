# `make bench` runs the whole benchmark on ≈ 1 GB of JSONL (and the same rows as Parquet);
# `make bench SIZE=200MB` scales the input. See BENCHMARKS.md.
SIZE ?= 1024

.PHONY: bench
bench:
	bash scripts/bench.sh $(SIZE)
