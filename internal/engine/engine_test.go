package engine

import (
	"slices"
	"testing"
)

// An engine registered under several names is found by each, listed once, and a name taken
// twice is a panic at start-up, as with database/sql's Register.
func TestRegister(t *testing.T) {
	e := &Engine{}
	Register(e, "test-engine-a", "test-engine-b")
	if Lookup("test-engine-a") != e || Lookup("test-engine-b") != e {
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
	Register(&Engine{}, "test-engine-a")
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
	e := &Engine{Schemes: map[string]string{"test-scheme-x": "test-engine-s"}}
	Register(e, "test-engine-s")
	for _, s := range []string{"test-scheme-x", "TEST-Scheme-X", "test-engine-s"} {
		if a, got, ok := Scheme(s); !ok || a != "test-engine-s" || got != e {
			t.Errorf("Scheme(%q) = %q, %p, %v; want test-engine-s, %p, true", s, a, got, ok, e)
		}
	}
	if _, _, ok := Scheme("test-scheme-none"); ok {
		t.Error("Scheme found an engine for a scheme nobody registered")
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a scheme twice did not panic")
		}
		if Lookup("test-engine-t") != nil {
			t.Error("a failed registration registered its adapter")
		}
	}()
	Register(&Engine{Schemes: map[string]string{"test-scheme-x": "test-engine-t"}}, "test-engine-t")
}
