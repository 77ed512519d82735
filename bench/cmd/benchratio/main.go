// Command benchratio turns `go test -bench` output of the bench module into the ratio tables of
// BENCHMARKS.md: for each benchmark (all of its name but the impl=... part) and each library,
// the median over the runs divided by the median of the base (the raw driver, or the
// hand-written renderer), for wall time and for CPU time.
//
//	go run ./cmd/benchratio [-base pgx,sql,hand] [-order typedsql,...] results.txt...
//
// A ratio is marked ~ when a Mann-Whitney U test (benchstat's, from golang.org/x/perf/benchmath)
// cannot tell the library's samples from the base's at alpha 0.05.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchmath"
)

func main() {
	base := flag.String("base", "pgx,sql,hand", "the base library of a benchmark: the first of these it has")
	order := flag.String("order", "typedsql,hand,pgx,pgx-collect,sql,sqlx,bob,bun,gorm,jet,squirrel,goqu,sqlbuilder", "the order of the columns")
	units := flag.String("units", "ns/op,cpu-ns/op,allocs/op", "the units to make a table of, in order")
	flag.Parse()
	res := newResults()
	if flag.NArg() == 0 {
		if err := res.read(os.Stdin); err != nil {
			fatal(err)
		}
	}
	for _, name := range flag.Args() {
		f, err := os.Open(name)
		if err != nil {
			fatal(err)
		}
		err = res.read(f)
		f.Close()
		if err != nil {
			fatal(fmt.Errorf("%s: %w", name, err))
		}
	}
	if len(res.keys) == 0 {
		fatal(fmt.Errorf("no benchmark results with an impl=... part in the input"))
	}
	for _, unit := range strings.Split(*units, ",") {
		for _, group := range res.groups {
			res.table(os.Stdout, group, unit, strings.Split(*base, ","), strings.Split(*order, ","))
		}
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "benchratio:", err)
	os.Exit(1)
}

// results holds the samples: benchmark key, impl, unit.
type results struct {
	samples map[string]map[string]map[string][]float64
	keys    []string // in the order first met
	groups  []string // the top-level benchmarks, in order
}

func newResults() *results {
	return &results{samples: map[string]map[string]map[string][]float64{}}
}

// A result line: BenchmarkName-P  N  value unit  value unit ...
var line = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func (r *results) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		key, impl, ok := strings.Cut(m[1], "/impl=")
		if !ok {
			continue
		}
		f := strings.Fields(m[2])
		if len(f)%2 != 0 {
			return fmt.Errorf("a malformed result line: %s", sc.Text())
		}
		if r.samples[key] == nil {
			r.samples[key] = map[string]map[string][]float64{}
			r.keys = append(r.keys, key)
			if g := group(key); !slices.Contains(r.groups, g) {
				r.groups = append(r.groups, g)
			}
		}
		if r.samples[key][impl] == nil {
			r.samples[key][impl] = map[string][]float64{}
		}
		for i := 0; i < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return fmt.Errorf("value %q: %w", f[i], err)
			}
			r.samples[key][impl][f[i+1]] = append(r.samples[key][impl][f[i+1]], v)
		}
	}
	return sc.Err()
}

// group is the top-level benchmark of key ("E2E/db=postgres" of "E2E/db=postgres/q=one";
// "Render" of "Render/q=Q1"): one table each.
func group(key string) string {
	parts := strings.Split(key, "/")
	if len(parts) > 1 && strings.HasPrefix(parts[1], "db=") {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// table writes the ratio table of unit for the benchmarks of group, as Markdown.
func (r *results) table(w io.Writer, grp, unit string, bases, order []string) {
	var keys []string
	impls := map[string]bool{}
	for _, k := range r.keys {
		if group(k) != grp {
			continue
		}
		for impl, units := range r.samples[k] {
			if len(units[unit]) > 0 {
				impls[impl] = true
			}
		}
		keys = append(keys, k)
	}
	if len(impls) == 0 {
		return
	}
	base := ""
	for _, b := range bases {
		if impls[b] {
			base = b
			break
		}
	}
	if base == "" {
		return
	}
	var cols []string
	for _, o := range order {
		if impls[o] && o != base {
			cols = append(cols, o)
		}
	}
	var rest []string
	for impl := range impls {
		if impl != base && !slices.Contains(cols, impl) {
			rest = append(rest, impl)
		}
	}
	slices.Sort(rest)
	cols = append(cols, rest...)

	fmt.Fprintf(w, "\n%s, %s: %s's median, and each library's median divided by it\n\n", grp, unitName(unit), base)
	fmt.Fprintf(w, "| %s | %s |", "benchmark", base)
	for _, c := range cols {
		fmt.Fprintf(w, " %s |", c)
	}
	fmt.Fprintf(w, "\n| --- | ---: |%s\n", strings.Repeat(" ---: |", len(cols)))
	for _, k := range keys {
		bs := r.samples[k][base][unit]
		if len(bs) == 0 {
			continue
		}
		bsample := benchmath.NewSample(bs, &benchmath.DefaultThresholds)
		bsum := benchmath.AssumeNothing.Summary(bsample, 0.95)
		fmt.Fprintf(w, "| %s | %s |", strings.TrimPrefix(k, grp+"/"), format(bsum.Center, unit))
		for _, c := range cols {
			cs := r.samples[k][c][unit]
			if len(cs) == 0 {
				fmt.Fprint(w, " |")
				continue
			}
			csample := benchmath.NewSample(cs, &benchmath.DefaultThresholds)
			csum := benchmath.AssumeNothing.Summary(csample, 0.95)
			cmp := benchmath.AssumeNothing.Compare(bsample, csample)
			mark := ""
			if cmp.P > cmp.Alpha {
				mark = " ~"
			}
			if bsum.Center == 0 {
				fmt.Fprintf(w, " %s%s |", format(csum.Center, unit), mark)
				continue
			}
			fmt.Fprintf(w, " %.2fx%s |", csum.Center/bsum.Center, mark)
		}
		fmt.Fprintln(w)
	}
}

func unitName(unit string) string {
	switch unit {
	case "ns/op":
		return "wall time"
	case "cpu-ns/op":
		return "CPU time of the process"
	case "allocs/op":
		return "allocations"
	}
	return unit
}

// format writes a base's median in its unit.
func format(v float64, unit string) string {
	switch unit {
	case "ns/op", "cpu-ns/op":
		return duration(v)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func duration(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
