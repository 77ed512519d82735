package conn_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

type notesTable struct {
	expr.Table
	ID   expr.Column[int64]  `db:"id"`
	Body expr.Column[string] `db:"body"`
}

type tagsTable struct {
	expr.Table
	NoteID expr.Column[int64]  `db:"note_id"`
	Tag    expr.Column[string] `db:"tag"`
}

var (
	notes = expr.NewTable[notesTable]("notes")
	tags  = expr.NewTable[tagsTable]("tags")
)

// twoDatabases opens two fresh databases of the same engine, each with notes and tags tables
// whose rows say which database they are in.
func twoDatabases(t *testing.T, tdb *testcontainers.Database) (main, archive *conn.DB) {
	t.Helper()
	other := testcontainers.Open(t, tdb.Engine)
	for _, d := range []struct {
		tdb  *testcontainers.Database
		name string
	}{{tdb, "main"}, {other, "archive"}} {
		mustExecHarness(t, d.tdb, "CREATE TABLE notes (id int PRIMARY KEY, body varchar(50))")
		mustExecHarness(t, d.tdb, "CREATE TABLE tags (note_id int, tag varchar(50))")
		mustExecHarness(t, d.tdb, "INSERT INTO notes VALUES (1, '"+d.name+"')")
		mustExecHarness(t, d.tdb, "INSERT INTO tags VALUES (1, '"+d.name+"')")
	}
	return openT(t, tdb), openT(t, other)
}

func noteBody(t *testing.T, ctx context.Context, db *conn.DB) string {
	t.Helper()
	var body string
	if err := db.QueryRow(ctx, builder.Select(notes.Body).From(notes).Where(notes.ID.Eq(1))).Scan(&body); err != nil {
		t.Fatalf("select note: %v", err)
	}
	return body
}

func tagOf(t *testing.T, ctx context.Context, db *conn.DB) string {
	t.Helper()
	var tag string
	if err := db.QueryRow(ctx, builder.Select(tags.Tag).From(tags)).Scan(&tag); err != nil {
		t.Fatalf("select tag: %v", err)
	}
	return tag
}

func TestUsingRoutesByTable(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		mainDB, archive := twoDatabases(t, tdb)
		ctx := t.Context()
		if got := noteBody(t, ctx, mainDB); got != "main" {
			t.Fatalf("without Using: %q", got)
		}

		uctx := conn.Using(ctx, archive, notes)
		if got := noteBody(t, uctx, mainDB); got != "archive" {
			t.Errorf("notes with Using(archive, notes): read from %q", got)
		}
		if got := tagOf(t, uctx, mainDB); got != "main" {
			t.Errorf("tags are not named by Using but were read from %q", got)
		}
		// Writes follow too.
		upd := builder.Update(notes).Set(notes.Body.Set("archived")).Where(notes.ID.Eq(1))
		if res, err := mainDB.Exec(uctx, upd); err != nil || res.RowsAffected != 1 {
			t.Fatalf("update through Using: %v, %+v", err, res)
		}
		if got := noteBody(t, ctx, archive); got != "archived" {
			t.Errorf("the archive's note is %q after the routed UPDATE", got)
		}
		if got := noteBody(t, ctx, mainDB); got != "main" {
			t.Errorf("the main note changed to %q", got)
		}

		// A statement on both a routed and an unrouted table names both.
		join := builder.Select(notes.Body, tags.Tag).From(notes).Join(tags, tags.NoteID.EqExpr(notes.ID))
		_, err := mainDB.Query(uctx, join)
		if !errors.Is(err, conn.ErrUsingConflict) || !strings.Contains(err.Error(), "notes") || !strings.Contains(err.Error(), "tags") {
			t.Errorf("join across databases: %v, want ErrUsingConflict naming notes and tags", err)
		}
		// Routing both tables makes it one database again.
		both := conn.Using(ctx, archive, notes, conn.TableName("tags"))
		var body, tag string
		if err := mainDB.QueryRow(both, join).Scan(&body, &tag); err != nil || body != "archived" || tag != "archive" {
			t.Errorf("join with both tables routed: %q %q %v", body, tag, err)
		}

		// Raw SQL has no table list: it stays on its DB.
		var raw string
		if err := mainDB.QueryRow(uctx, conn.SQL("SELECT body FROM notes")).Scan(&raw); err != nil || raw != "main" {
			t.Errorf("raw SQL under Using read %q, %v; want it to stay on main", raw, err)
		}

		// An inner Using wins for the tables it names.
		back := conn.Using(uctx, mainDB, notes)
		if got := noteBody(t, back, archive); got != "main" {
			t.Errorf("inner Using(main, notes): read from %q", got)
		}
		// Using the statement's own DB changes nothing.
		if got := noteBody(t, conn.Using(ctx, mainDB, notes), mainDB); got != "main" {
			t.Errorf("Using(main) on main: %q", got)
		}
	})
}

// A routed statement uses the connection a block of the target DB pins in ctx, and is never
// part of the block of the DB it was made on.
func TestUsingWithBlocks(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		mainDB, archive := twoDatabases(t, tdb)
		ctx := conn.Using(t.Context(), archive, notes)
		err := archive.WithConn(ctx, func(ctx context.Context) error {
			return archive.Atomic(ctx, func(ctx context.Context) error {
				upd := builder.Update(notes).Set(notes.Body.Set("in a transaction")).Where(notes.ID.Eq(1))
				if _, err := mainDB.Exec(ctx, upd); err != nil { // made on main, runs in archive's block
					return err
				}
				if got := noteBody(t, ctx, mainDB); got != "in a transaction" {
					t.Errorf("the block does not see its own update: %q", got)
				}
				return errors.New("roll back")
			})
		})
		if err == nil || err.Error() != "roll back" {
			t.Fatalf("block: %v", err)
		}
		if got := noteBody(t, t.Context(), archive); got != "archive" {
			t.Errorf("the routed update survived the archive block's rollback: %q", got)
		}
	})
}

func TestUsingUninitializedTarget(t *testing.T) {
	tdb := testcontainers.SQLite(t)
	mainDB := openT(t, tdb)
	var later conn.DB
	ctx := conn.Using(t.Context(), &later, notes)
	_, err := mainDB.Query(ctx, builder.Select(notes.ID).From(notes))
	if !errors.Is(err, conn.ErrNotInitialized) {
		t.Errorf("routed to a DB without a database: %v, want ErrNotInitialized", err)
	}
}
