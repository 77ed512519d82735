package conn_test

import (
	"context"
	"fmt"
	"time"

	"github.com/typedsql/typedsql/conn"
)

// ResetPool closes every connection while the DB stays usable; CloseIdle and CloseStale close
// some of them. Stats counts what each closed.
func ExampleDB_ResetPool() {
	ctx := context.Background()
	db, err := conn.Open(ctx, "sqlite:///:memory:", conn.WithPool(conn.PoolConfig{MaxConns: 4}))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := db.Connect(ctx); err != nil { // one connection, now idle
		panic(err)
	}

	if err := db.ResetPool(ctx); err != nil { // e.g. after a failover
		panic(err)
	}
	s := db.Stats()
	fmt.Println("closed:", s.ClosedByResetPool, "open:", s.TotalConns)

	n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT 1")) // on a new connection
	fmt.Println(n, err)

	_ = db.CloseStale(ctx, time.Hour) // none is that old
	_ = db.CloseIdle(ctx)             // the new one
	s = db.Stats()
	fmt.Println("stale:", s.ClosedByCloseStale, "idle:", s.ClosedByCloseIdle, "open:", s.TotalConns)
	// Output:
	// closed: 1 open: 0
	// 1 <nil>
	// stale: 0 idle: 1 open: 0
}
