package conn_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

type paramsTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id"`
}

var paramRows = expr.NewTable[paramsTable]("param_rows")

// A statement of more bound arguments than the engine takes fails before it is sent, with an
// error of class ErrProgramming that names the engine's limit. Sent, it failed three ways:
// PostgreSQL's driver with an unclassified error, MariaDB with error 1390 classed as a
// transient operational fault, SQLite with "too many SQL variables".
func TestTooManyArguments(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := openT(t, tdb)
		mustExec(t, db, "CREATE TABLE param_rows (id BIGINT PRIMARY KEY)")
		mustExec(t, db, "INSERT INTO param_rows (id) VALUES (1), (2)")
		limit := db.Dialect().Caps().MaxParams
		if limit == 0 {
			t.Fatalf("dialect %s has no MaxParams", db.Dialect().Name())
		}
		ids := func(n int) []int64 {
			v := make([]int64, n)
			for i := range v {
				v[i] = int64(i + 1)
			}
			return v
		}
		// At the limit the statement runs.
		got, err := conn.All[int64](ctx, db, builder.Select(paramRows.ID).From(paramRows).
			Where(paramRows.ID.In(ids(limit)...)).OrderBy(paramRows.ID.Asc()))
		if err != nil || len(got) != 2 {
			t.Fatalf("IN list of %d values: %v, %v", limit, got, err)
		}
		// One more is refused before it is sent, with the limit named.
		_, err = conn.All[int64](ctx, db, builder.Select(paramRows.ID).From(paramRows).Where(paramRows.ID.In(ids(limit+1)...)))
		wantTooMany(t, err, limit)
		var be *expr.BuildError
		if !errors.As(err, &be) || !errors.Is(err, expr.ErrInvalid) {
			t.Errorf("the build error is not reachable through %v", err)
		}
		args := make([]any, limit+1)
		for i := range args {
			args[i] = i
		}
		_, err = db.Exec(ctx, conn.SQL("SELECT 1"), args...)
		wantTooMany(t, err, limit)

	})
}

func wantTooMany(t *testing.T, err error, limit int) {
	t.Helper()
	if !errors.Is(err, conn.ErrProgramming) || !strings.Contains(err.Error(), strconv.Itoa(limit)) {
		t.Errorf("%d+1 arguments: %v; want ErrProgramming naming the limit %d", limit, err, limit)
	}
}
