package conn

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/testcontainers"
)

// What each engine's driver or server says to a statement of too many bound arguments, if one
// gets past render's check (a pool conn did not open, a hand-made dialect), is a programming
// error: no retry can help it. MariaDB's 1390 used to be classed operational, a transient
// fault, and pgconn's refusal was not classified at all.
func TestEngineRefusesTooManyArguments(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		n := 65536 // past every engine's limit
		args := make([]any, n)
		marks := make([]string, n)
		for i := range args {
			args[i], marks[i] = i, "?"
			if tdb.Engine == testcontainers.EnginePostgres {
				marks[i] = "$" + strconv.Itoa(i+1)
			}
		}
		text := "SELECT 1 WHERE 1 IN (" + strings.Join(marks, ",") + ")"
		var err error
		if tdb.Engine == testcontainers.EnginePostgres {
			pool, perr := pgxpool.New(ctx, tdb.URL)
			if perr != nil {
				t.Fatal(perr)
			}
			defer pool.Close()
			_, err = pool.Exec(ctx, text, args...)
		} else {
			_, err = tdb.SQL.ExecContext(ctx, text, args...)
		}
		if err == nil {
			t.Fatalf("%d arguments were accepted", n)
		}
		got := classifyError(err, nil)
		if !errors.Is(got, ErrProgramming) || errors.Is(got, ErrOperational) || !errors.Is(got, err) {
			t.Errorf("%v classified as %v; want ErrProgramming, unwrapping to the driver's error", err, got)
		}
	})
}
