package engine

import (
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// An engine registered under several names is found by each, listed once, and a name taken
// twice is a panic at start-up, as with database/sql's Register.
// registerRuns makes each run's names new: the registry is process-wide and keeps what a
// previous run (-count=N) registered.
var registerRuns atomic.Int64

func TestRegister(t *testing.T) {
	run := strconv.FormatInt(registerRuns.Add(1), 10)
	a, b := "test-engine-a"+run, "test-engine-b"+run
	e := &Engine{}
	Register(e, a, b)
	if Lookup(a) != e || Lookup(b) != e {
		t.Fatal("Lookup does not find the engine under both names")
	}
	if Lookup("test-engine-none") != nil {
		t.Error("Lookup found an engine for a name nobody registered")
	}
	n := 0
	for _, x := range All() {
		if x == e {
			n++
		}
	}
	if n != 1 {
		t.Errorf("All lists the engine %d times; want once", n)
	}
	before := slices.Clone(All())
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice did not panic")
		}
		if !slices.Equal(All(), before) {
			t.Error("a failed registration changed the list")
		}
	}()
	Register(&Engine{}, a)
}

func TestSQLStateClass(t *testing.T) {
	for code, want := range map[string]Class{
		"23505": Integrity, "40002": Integrity, "22001": Data, "40001": Serialization,
		"40P01": Serialization, "40003": Operational, "42P01": Programming, "0A000": NotSupported,
		"08006": Operational, "25P02": Internal, "XX000": Internal, "": Internal, "HY0": Internal,
	} {
		if got := SQLStateClass(code); got != want {
			t.Errorf("SQLStateClass(%q) = %d; want %d", code, got, want)
		}
	}
}

// An engine's URL schemes and its adapter names lead to it, whatever their case; a scheme
// taken twice is a panic at start-up.
func TestScheme(t *testing.T) {
	run := strconv.FormatInt(registerRuns.Add(1), 10)
	scheme, adapter, other := "test-scheme-x"+run, "test-engine-s"+run, "test-engine-t"+run
	e := &Engine{Schemes: map[string]string{scheme: adapter}}
	Register(e, adapter)
	for _, s := range []string{scheme, strings.ToUpper(scheme), adapter} {
		if a, got, ok := Scheme(s); !ok || a != adapter || got != e {
			t.Errorf("Scheme(%q) = %q, %p, %v; want %s, %p, true", s, a, got, ok, adapter, e)
		}
	}
	if _, _, ok := Scheme("test-scheme-none"); ok {
		t.Error("Scheme found an engine for a scheme nobody registered")
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a scheme twice did not panic")
		}
		if Lookup(other) != nil {
			t.Error("a failed registration registered its adapter")
		}
	}()
	Register(&Engine{Schemes: map[string]string{scheme: other}}, other)
}
