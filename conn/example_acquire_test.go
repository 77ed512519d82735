package conn_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/typedsql/typedsql/conn"
)

// AcquireTimeout bounds only the wait for a free connection while every one of the pool's
// MaxConns is in use; opening a new connection when the pool has room is bounded by
// ConnectTimeout (connect_timeout), and a connect that fails is a connect error
// (ErrOperational), never ErrAcquireTimeout.
//
//	sqlite:///:memory:?pool_max_conns=1&pool_acquire_timeout=100ms&connect_timeout=10s
func ExamplePoolConfig_acquireTimeout() {
	ctx := context.Background()
	db, err := conn.Open(ctx, "sqlite:///:memory:?pool_max_conns=1&pool_acquire_timeout=100ms&connect_timeout=10s")
	if err != nil {
		panic(err)
	}
	defer db.Close()

	// The one connection is held by a block: another statement waits for it, 100ms at most.
	err = db.WithConn(ctx, func(blockCtx context.Context) error {
		_, err := db.Exec(ctx, conn.SQL("SELECT 1")) // ctx, not blockCtx: needs a second connection
		var ae *conn.AcquireTimeoutError
		fmt.Println("while held:", errors.Is(err, conn.ErrAcquireTimeout), errors.As(err, &ae) && ae.Timeout == 100*time.Millisecond)
		return nil
	})
	fmt.Println("block:", err)

	// Once it is back, the statement gets it at once.
	n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT 1"))
	fmt.Println("after:", n, err)
	// Output:
	// while held: true true
	// block: <nil>
	// after: 1 <nil>
}
