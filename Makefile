# `make bench` runs the whole benchmark on ≈ 1 GB of JSONL (and the same rows as Parquet);
# `make bench SIZE=200MB` scales the input; `make bench ROWS=3000` takes a number of rows instead
# (the issue's 3,000-row comparison). See BENCHMARKS.md.
SIZE ?= 1024
ROWS ?=

.PHONY: bench
bench:
	ROWS=$(ROWS) bash scripts/bench.sh $(SIZE)
