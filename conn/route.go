package conn

import "context"

// Router chooses the database a statement runs on. It is the seam conn's own Using is built
// on, open to other routing: read replicas, sharding, a tenant's database.
//
// Route gets the statement as it was made, before it is rendered, and the DB it was made on;
// it returns the DB to run it on, or nil to leave the choice to the routers installed before
// it in the context (and in the end to db itself). An error fails the statement before
// anything is sent. The statement then runs on the chosen DB's connection that a block pins
// in the context, if any, otherwise on that DB's pool, and is rendered for its dialect.
// Route is called once per statement, from any goroutine that uses the context: it must be
// quick and safe for concurrent use.
type Router interface {
	Route(ctx context.Context, db *DB, stmt Statement) (*DB, error)
}

// RouterFunc makes a function a Router.
type RouterFunc func(ctx context.Context, db *DB, stmt Statement) (*DB, error)

// Route calls f.
func (f RouterFunc) Route(ctx context.Context, db *DB, stmt Statement) (*DB, error) {
	return f(ctx, db, stmt)
}

// routeLink is one router installed in a context, chained to those installed before it.
type routeLink struct {
	parent *routeLink
	r      Router
}

type routeKey struct{}

// WithRouter returns a context in which every statement made with it, on any DB, is offered
// to r first, then to the routers installed before it (WithRouter, Using), newest first; the
// first one that returns a DB decides. Statements made with other contexts are not routed.
//
//	// SELECTs made on primary run on replica; everything else stays on primary.
//	ctx = conn.WithRouter(ctx, conn.RouterFunc(func(ctx context.Context, db *conn.DB, stmt conn.Statement) (*conn.DB, error) {
//		if _, read := stmt.(*builder.SelectStmt); read && db == primary {
//			return replica, nil
//		}
//		return nil, nil
//	}))
func WithRouter(ctx context.Context, r Router) context.Context {
	if r == nil {
		return ctx
	}
	parent, _ := ctx.Value(routeKey{}).(*routeLink)
	return context.WithValue(ctx, routeKey{}, &routeLink{parent: parent, r: r})
}

// Route returns the DB a statement made on db with ctx runs on: the choice of the routers in
// ctx (WithRouter, Using), then of db's own router when db is a routed view (Routed), or db
// itself when none chooses. Exec, Query and the fetch functions
// route every statement this way; Route lets a router or a test see where one would go.
func (db *DB) Route(ctx context.Context, stmt Statement) (*DB, error) {
	dst, _, err := db.route(ctx, stmt)
	return dst, err
}

// route is Route, also returning the routed view whose own router made the choice: db when
// the context's routers left the statement to a view's router, nil when they chose or db is
// no view. A view's router may have to hear when the statement is done (Finisher).
func (db *DB) route(ctx context.Context, stmt Statement) (dst, view *DB, err error) {
	link, _ := ctx.Value(routeKey{}).(*routeLink)
	for ; link != nil; link = link.parent {
		dst, err := link.r.Route(ctx, db, stmt)
		if err != nil {
			return nil, nil, err
		}
		if dst != nil {
			return dst, nil, nil
		}
	}
	if db != nil && db.router != nil {
		dst, err := db.routeOwn(ctx, stmt)
		if err != nil {
			return nil, nil, err
		}
		return dst, db, nil
	}
	return db, nil, nil
}
