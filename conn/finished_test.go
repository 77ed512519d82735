package conn_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/typedsql/typedsql/conn"
)

// finishLog is a Finisher that writes down what it hears, in order.
type finishLog struct {
	mu     sync.Mutex
	events []string
	refuse bool // Route fails
}

type outerKey struct{}

func (f *finishLog) add(e string) {
	f.mu.Lock()
	f.events = append(f.events, e)
	f.mu.Unlock()
}

// take returns the events so far and forgets them.
func (f *finishLog) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.events
	f.events = nil
	return e
}

func (f *finishLog) Route(ctx context.Context, db *conn.DB, stmt conn.Statement) (*conn.DB, error) {
	f.add(fmt.Sprint("route ", stmt))
	if f.refuse {
		return nil, errors.New("refused")
	}
	return nil, nil
}

func (f *finishLog) Finished(ctx context.Context, db *conn.DB, stmt conn.Statement, err error) {
	f.add(fmt.Sprint("finished ", stmt, " failed=", err != nil))
}

func (f *finishLog) Settled(ctx context.Context, db *conn.DB) {
	f.add(fmt.Sprint("settled ", ctx.Value(outerKey{})))
}

// A Finisher hears of each statement it routed once, when the statement is done (a query
// when its rows are closed, a failed one too), and of a block's work once, when it has
// committed or rolled back, with the context the block was begun with.
func TestFinisher(t *testing.T) {
	ctx := context.WithValue(t.Context(), outerKey{}, "outer")
	base := exampleDB(ctx)
	defer base.Close()
	f := &finishLog{}
	view := base.Routed(f)
	expect := func(what string, want ...string) {
		t.Helper()
		if got := f.take(); !slices.Equal(got, want) {
			t.Errorf("%s: heard\n\t%s\nwant\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
		}
	}

	if _, err := view.Exec(ctx, conn.SQL("UPDATE users SET name = name")); err != nil {
		t.Fatal(err)
	}
	expect("Exec", "route UPDATE users SET name = name", "finished UPDATE users SET name = name failed=false")

	rows, err := view.Query(ctx, conn.SQL("SELECT id FROM users"))
	if err != nil {
		t.Fatal(err)
	}
	expect("Query, rows open", "route SELECT id FROM users")
	rows.Close()
	expect("Query, rows closed", "finished SELECT id FROM users failed=false")

	if _, err := conn.All[int64](ctx, view, conn.SQL("SELECT id FROM nowhere")); err == nil {
		t.Fatal("a query of no table ran")
	}
	expect("a failed query", "route SELECT id FROM nowhere", "finished SELECT id FROM nowhere failed=true")

	f.refuse = true
	if _, err := view.Exec(ctx, conn.SQL("DELETE FROM users")); err == nil {
		t.Fatal("a statement the router refused ran")
	}
	f.refuse = false
	expect("a statement the router refused: nothing ran, nothing to finish", "route DELETE FROM users")

	if _, err := view.Route(ctx, conn.SQL("SELECT 1")); err != nil {
		t.Fatal(err)
	}
	expect("DB.Route by hand runs nothing", "route SELECT 1")

	var blockCtx context.Context
	err = view.Atomic(ctx, func(ctx context.Context) error {
		blockCtx = ctx
		for _, s := range []string{"INSERT INTO users (id, name) VALUES (3, 'cy')", "SELECT count(*) FROM users"} {
			if _, err := view.Exec(ctx, conn.SQL(s)); err != nil {
				return err
			}
		}
		expect("statements in a block finish, the block's work has not settled",
			"route INSERT INTO users (id, name) VALUES (3, 'cy')", "finished INSERT INTO users (id, name) VALUES (3, 'cy') failed=false",
			"route SELECT count(*) FROM users", "finished SELECT count(*) FROM users failed=false")
		return conn.OnCommit(ctx, func(context.Context) { f.add("OnCommit") })
	})
	if err != nil {
		t.Fatal(err)
	}
	expect("the block committed: settled once, with the block's caller's context, before OnCommit", "settled outer", "OnCommit")

	if _, err := view.Exec(blockCtx, conn.SQL("DELETE FROM users")); !errors.Is(err, conn.ErrBlockEnded) {
		t.Fatalf("the block's context after its end: %v", err)
	}
	expect("a statement with an ended block's context", "route DELETE FROM users", "finished DELETE FROM users failed=true")

	err = view.Atomic(ctx, func(ctx context.Context) error {
		if _, err := view.Exec(ctx, conn.SQL("DELETE FROM users WHERE id = 3")); err != nil {
			return err
		}
		blk, err := view.Block(ctx)
		if err != nil {
			return err
		}
		if err := blk.Commit(ctx); err != nil {
			return err
		}
		f.add("committed")
		return errors.New("roll back what is left")
	})
	if err == nil {
		t.Fatal("the block's error was lost")
	}
	expect("Block.Commit settles the work so far; a block with nothing routed since settles nothing",
		"route DELETE FROM users WHERE id = 3", "finished DELETE FROM users WHERE id = 3 failed=false", "settled outer", "committed")

	err = view.WithConn(ctx, func(ctx context.Context) error {
		_, err := view.Exec(ctx, conn.SQL("UPDATE users SET name = name"))
		f.add("returning")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	expect("WithConn settles at its end",
		"route UPDATE users SET name = name", "finished UPDATE users SET name = name failed=false", "returning", "settled outer")

	// Explain asks where the statement would run to learn the dialect: those asks finish at once.
	if _, err := view.Explain(ctx, conn.SQL("SELECT id FROM users"), conn.ExplainOptions{}); err != nil {
		t.Fatal(err)
	}
	var routes, finishes int
	for _, e := range f.take() {
		switch {
		case strings.HasPrefix(e, "route "):
			routes++
		case strings.HasPrefix(e, "finished "):
			finishes++
		}
	}
	if routes == 0 || routes != finishes {
		t.Errorf("Explain: %d routings, %d finished; want as many", routes, finishes)
	}
}
