package main

import (
	"fmt"
	"strings"
	"testing"
)

// results of two benchmarks, ten runs each: typedsql twice the base's time on q=one, the same
// as the base on q=all; sql has no q=all.
func sampleInput() string {
	var b strings.Builder
	b.WriteString("goos: linux\nBenchmarkE2E/db=postgres/q=one-2 \t 1 \t 5 ns/op\n") // no impl: ignored
	for i := range 10 {
		fmt.Fprintf(&b, "BenchmarkE2E/db=postgres/q=one/impl=pgx-2 \t 100 \t %d ns/op \t %d cpu-ns/op\n", 1000+i, 500+i)
		fmt.Fprintf(&b, "BenchmarkE2E/db=postgres/q=one/impl=typedsql-2 \t 100 \t %d ns/op \t %d cpu-ns/op\n", 2000+2*i, 500+i)
		fmt.Fprintf(&b, "BenchmarkE2E/db=postgres/q=one/impl=sql-2 \t 100 \t %d ns/op \t %d cpu-ns/op\n", 1500+i, 400+i)
		fmt.Fprintf(&b, "BenchmarkE2E/db=postgres/q=all/impl=pgx-2 \t 100 \t %d ns/op\n", 1000000+i)
		fmt.Fprintf(&b, "BenchmarkE2E/db=postgres/q=all/impl=typedsql-2 \t 100 \t %d ns/op\n", 1000009-i)
	}
	return b.String()
}

func TestTable(t *testing.T) {
	r := newResults()
	if err := r.read(strings.NewReader(sampleInput())); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	order := []string{"typedsql", "sql"}
	r.table(&out, "E2E/db=postgres", "ns/op", []string{"pgx", "sql"}, order)
	r.table(&out, "E2E/db=postgres", "cpu-ns/op", []string{"pgx", "sql"}, order)
	want := `
E2E/db=postgres, wall time: pgx's median, and each library's median divided by it

| benchmark | pgx | typedsql | sql |
| --- | ---: | ---: | ---: |
| q=one | 1.0 µs | 2.00x | 1.50x |
| q=all | 1.00 ms | 1.00x ~ | |

E2E/db=postgres, CPU time of the process: pgx's median, and each library's median divided by it

| benchmark | pgx | typedsql | sql |
| --- | ---: | ---: | ---: |
| q=one | 504 ns | 1.00x ~ | 0.80x |
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestReadMalformed(t *testing.T) {
	r := newResults()
	if err := r.read(strings.NewReader("BenchmarkX/impl=a-2 \t 10 \t 5 ns/op 7\n")); err == nil {
		t.Error("a result line with a value and no unit was accepted")
	}
}
