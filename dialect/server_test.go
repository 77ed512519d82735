package dialect_test

import (
	"testing"

	"github.com/typedsql/typedsql/dialect"
)

func TestParseVersion(t *testing.T) {
	for _, tt := range []struct {
		text                string
		major, minor, patch int
	}{
		{"15.4 (Debian 15.4-1.pgdg120+1)", 15, 4, 0},
		{"10.11.6-MariaDB-0+deb12u1", 10, 11, 6},
		{"8.0.36", 8, 0, 36},
		{"3.49.1", 3, 49, 1},
		{"17devel", 17, 0, 0},
		{"", 0, 0, 0},
	} {
		v := dialect.ParseVersion(tt.text)
		if v.Major != tt.major || v.Minor != tt.minor || v.Patch != tt.patch || v.Text != tt.text || v.String() != tt.text {
			t.Errorf("ParseVersion(%q) = %+v; want %d.%d.%d", tt.text, v, tt.major, tt.minor, tt.patch)
		}
	}
	v := dialect.ParseVersion("10.5.2")
	if !v.AtLeast(10, 5) || !v.AtLeast(9, 9) || v.AtLeast(10, 6) || v.AtLeast(11, 0) {
		t.Errorf("AtLeast on %v is wrong", v)
	}
}

func TestForServer(t *testing.T) {
	type wrapped struct{ dialect.Dialect }
	own := wrapped{dialect.MySQL}
	for _, tt := range []struct {
		name     string
		d        dialect.Dialect
		version  string
		want     string
		returing bool // INSERT ... RETURNING
	}{
		{"mysql URL on MariaDB", dialect.MySQL, "10.11.6-MariaDB-0+deb12u1", "mariadb", true},
		{"mariadb URL on MySQL", dialect.MariaDB, "8.0.36", "mysql", false},
		{"MariaDB 10.4", dialect.MySQL, "10.4.32-MariaDB", "mariadb", false},
		{"SQLite 3.34", dialect.SQLite, "3.34.1", "sqlite", false},
		{"SQLite 3.35", dialect.SQLite, "3.35.0", "sqlite", true},
		{"PostgreSQL", dialect.Postgres, "15.4", "postgres", true},
	} {
		got := dialect.ForServer(tt.d, tt.version)
		if got.Name() != tt.want || got.Caps().InsertReturning != tt.returing {
			t.Errorf("%s: %s with RETURNING %v; want %s with %v", tt.name, got.Name(), got.Caps().InsertReturning, tt.want, tt.returing)
		}
	}
	if got := dialect.ForServer(own, "10.11.6-MariaDB"); !dialect.Same(got, own) {
		t.Errorf("an application's own dialect was replaced by %s", got.Name())
	}
	if c := dialect.ForServer(dialect.SQLite, "3.34.1").Caps(); c.UpdateReturning || c.DeleteReturning {
		t.Error("SQLite 3.34 kept UPDATE/DELETE ... RETURNING")
	}
	if c := dialect.ForServer(dialect.MySQL, "10.4.32-MariaDB").Caps(); !c.DeleteReturning {
		t.Error("MariaDB 10.4 lost DELETE ... RETURNING (10.0.5)")
	}
}
