package conn

import (
	"context"
	"fmt"
)

// TableRef names a table for Using: any table descriptor made with expr.NewTable (through
// its embedded expr.Table), or a Table naming one by hand.
type TableRef interface {
	// TableName is the schema-qualified name, "schema.name", or "name" without a schema.
	TableName() string
}

// TableName names a table for Using by hand, exactly as descriptors name it: "users", or
// "archive.users" for a table in a schema. (A table descriptor, expr.Table, is a TableRef
// too; this is for a table that has none.)
//
//	ctx = conn.Using(ctx, archive, conn.TableName("audit_log"))
type TableName string

// TableName returns the name.
func (t TableName) TableName() string { return string(t) }

// usingSet is one Using call, a Router: its tables go to db. Sets chain to the ones made
// before them in the same context; the newest set that names a table decides where it goes.
type usingSet struct {
	parent *usingSet
	db     *DB
	tables []string
}

// Using returns a context in which statements on the given tables go to other, whichever DB
// they are made on (peewee's Using). Statements on other tables keep their DB. A statement
// that touches both a table sent to other and one that is not fails with an error matching
// ErrUsingConflict that names the two tables: one statement runs on one database.
//
//	ctx = conn.Using(ctx, archiveDB, Users, Orders)
//	rows, err := conn.All[User](ctx, db, builder.Select(Users.ID, Users.Name).From(Users))
//	// SELECT "id", "name" FROM "users"   -- runs on archiveDB
//
// Tables are matched by name as the descriptors report it (TableName, "schema.name"), so a
// descriptor declared with a schema and one without are different tables. Only statements
// that list their tables (every builder statement does, through Tables() []string) can be
// routed: conn.SQL text is opaque and always runs on the DB it is made on. Calls nest: an
// inner Using wins for the tables it names. A statement sent to other runs on the connection
// a block of other pins in ctx, if any, otherwise on other's pool; it is never part of a
// transaction of the DB it was made on.
//
// Using is a Router installed with WithRouter: the Using calls of a context decide together,
// table by table, and a statement none of their tables names goes on to the routers
// installed before them.
func Using(ctx context.Context, other *DB, tables ...TableRef) context.Context {
	names := make([]string, 0, len(tables))
	for _, t := range tables {
		if t == nil {
			continue
		}
		if n := t.TableName(); n != "" {
			names = append(names, n)
		}
	}
	return WithRouter(ctx, &usingSet{parent: usingOf(ctx), db: other, tables: names})
}

// usingOf returns the newest Using set of ctx, or nil.
func usingOf(ctx context.Context) *usingSet {
	link, _ := ctx.Value(routeKey{}).(*routeLink)
	for ; link != nil; link = link.parent {
		if s, ok := link.r.(*usingSet); ok {
			return s
		}
	}
	return nil
}

// dbFor returns the DB the newest set naming table sends it to, or nil.
func (s *usingSet) dbFor(table string) *DB {
	for ; s != nil; s = s.parent {
		for _, t := range s.tables {
			if t == table {
				return s.db
			}
		}
	}
	return nil
}

// Route sends a statement whose tables the sets name to the DB they name, and leaves one they
// do not name to the routers before them (nil). A statement whose tables would go to
// different databases is an error matching ErrUsingConflict.
func (s *usingSet) Route(_ context.Context, db *DB, stmt Statement) (*DB, error) {
	tl, ok := stmt.(tableLister)
	if !ok {
		return nil, nil
	}
	var dst *DB
	var first string
	var firstOverridden, named bool
	for _, table := range tl.Tables() {
		to := s.dbFor(table)
		overridden := to != nil
		named = named || overridden
		if to == nil {
			to = db
		}
		if dst == nil {
			dst, first, firstOverridden = to, table, overridden
			continue
		}
		if to != dst {
			return nil, fmt.Errorf("%w: it touches %s and %s; split the statement, or pass both tables to the same conn.Using",
				ErrUsingConflict, describeRoute(first, dst, firstOverridden), describeRoute(table, to, overridden))
		}
	}
	if !named {
		return nil, nil
	}
	return dst, nil
}

func describeRoute(table string, db *DB, overridden bool) string {
	if overridden {
		return fmt.Sprintf("%s (sent to %s by conn.Using)", table, db)
	}
	return fmt.Sprintf("%s (on %s)", table, db)
}
