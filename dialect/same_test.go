package dialect_test

import (
	"testing"

	"github.com/typedsql/typedsql/dialect"
)

// wrapped is an application's dialect that wraps a built-in one.
type wrapped struct{ dialect.Dialect }

// uncomparable is a dialect whose values == would panic on.
type uncomparable struct {
	dialect.Dialect
	names []string
}

func TestSame(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b dialect.Dialect
		want bool
	}{
		{"postgres", dialect.Postgres, dialect.Postgres, true},
		{"mysql and mariadb", dialect.MySQL, dialect.MariaDB, false},
		{"sqlite and postgres", dialect.SQLite, dialect.Postgres, false},
		{"wrapped postgres", wrapped{dialect.Postgres}, dialect.Postgres, false},
		{"two equal wrappers", wrapped{dialect.Postgres}, wrapped{dialect.Postgres}, true},
		{"uncomparable", uncomparable{dialect.Postgres, nil}, uncomparable{dialect.Postgres, nil}, false},
		{"nil", nil, dialect.Postgres, false},
		{"both nil", nil, nil, true},
	} {
		if got := dialect.Same(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: Same = %v, want %v", tc.name, got, tc.want)
		}
	}
}
