package conn_test

import (
	"context"
	"errors"
	"testing"

	"github.com/typedsql/typedsql/conn"
)

// Routers are asked newest first; nil passes the choice on, a DB or an error decides, and with
// no router (or none that chooses) a statement stays on the DB it was made on.
func TestRouteChain(t *testing.T) {
	made, a, b := conn.Deferred(), conn.Deferred(), conn.Deferred()
	stmt := conn.SQL("SELECT 1")
	var asked []string
	router := func(name string, to *conn.DB, err error) conn.Router {
		return conn.RouterFunc(func(ctx context.Context, db *conn.DB, s conn.Statement) (*conn.DB, error) {
			if db != made || s != stmt {
				t.Errorf("%s: asked about %v, %v", name, db, s)
			}
			asked = append(asked, name)
			return to, err
		})
	}
	route := func(ctx context.Context) (*conn.DB, error) {
		asked = asked[:0]
		return made.Route(ctx, stmt)
	}
	ctx := t.Context()
	if got, err := route(ctx); got != made || err != nil {
		t.Errorf("no router: %p, %v; want the DB it was made on", got, err)
	}
	if conn.WithRouter(ctx, nil) != ctx {
		t.Error("WithRouter(ctx, nil) made a new context")
	}
	ctx = conn.WithRouter(ctx, router("old", a, nil))
	ctx2 := conn.WithRouter(ctx, router("pass", nil, nil))
	if got, err := route(ctx2); got != a || err != nil || len(asked) != 2 || asked[0] != "pass" || asked[1] != "old" {
		t.Errorf("pass then old: %p, %v, asked %v; want a, asked [pass old]", got, err, asked)
	}
	ctx3 := conn.WithRouter(ctx2, router("new", b, nil))
	if got, err := route(ctx3); got != b || err != nil || len(asked) != 1 {
		t.Errorf("newest decides: %p, %v, asked %v; want b, asked [new]", got, err, asked)
	}
	boom := errors.New("no route")
	ctx4 := conn.WithRouter(ctx3, router("fail", nil, boom))
	if got, err := route(ctx4); got != nil || !errors.Is(err, boom) || len(asked) != 1 {
		t.Errorf("error: %p, %v, asked %v; want the router's error at once", got, err, asked)
	}
	if _, err := made.Exec(ctx4, stmt); !errors.Is(err, boom) {
		t.Errorf("Exec through a failing router: %v; want its error", err)
	}
	// Using is one of the routers: a statement none of its tables names passes on.
	ctx5 := conn.Using(ctx, b, conn.TableName("users"))
	if got, _ := route(ctx5); got != a {
		t.Errorf("SQL text under Using then old router: %p; want a (Using passes it on)", got)
	}
}
